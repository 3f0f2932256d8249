// Test environment lookups.
#include "tests/support/env.hpp"

#include <sys/wait.h>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <stdexcept>

namespace otq::testing {
namespace {
std::string setting(const char* name, const char* built_in) {
  const char* v = std::getenv(name);  // NOLINT(concurrency-mt-unsafe): tests read, never write
  return (v != nullptr && *v != '\0') ? v : built_in;
}
}  // namespace

std::string repo_dir() {
  return setting("OTQ_REPO_DIR", OTQ_DEFAULT_REPO_DIR);
}
std::string binary_path() {
  return setting("OTQ_BINARY", OTQ_DEFAULT_BINARY);
}
std::string pg_data_dir() {
  return setting("OTQ_TEST_PG_DATA", OTQ_DEFAULT_TEST_PG_DATA);
}

std::string run_command(const std::string& command) {
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) throw std::runtime_error("popen failed: " + command);
  std::string out;
  std::array<char, 4096> buf{};
  std::size_t n = 0;
  while ((n = fread(buf.data(), 1, buf.size(), pipe)) > 0) out.append(buf.data(), n);
  const int status = pclose(pipe);
  if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    throw std::runtime_error("command failed: " + command + "\n" + out);
  }
  return out;
}

}  // namespace otq::testing
