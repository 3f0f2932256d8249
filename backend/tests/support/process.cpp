// fork/exec with a pipe; a reader thread collects lines.
#include "tests/support/process.hpp"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>
#include <csignal>
#include <cstring>
#include <memory>
#include <stdexcept>

#include "tests/support/env.hpp"

extern char** environ;

namespace otq::testing {

ChildProcess::ChildProcess(const std::string& binary, const std::vector<std::string>& args,
                           const std::map<std::string, std::string>& env) {
  std::map<std::string, std::string> merged;
  for (char** e = environ; *e != nullptr; ++e) {
    std::string kv(*e);
    const auto eq = kv.find('=');
    if (eq != std::string::npos) merged[kv.substr(0, eq)] = kv.substr(eq + 1);
  }
  for (const auto& [k, v] : env) {
    if (v.empty()) {
      merged.erase(k);
    } else {
      merged[k] = v;
    }
  }
  std::vector<std::string> env_strings;
  for (const auto& [k, v] : merged) env_strings.push_back(k + "=" + v);
  std::vector<char*> envp;
  for (auto& s : env_strings) envp.push_back(s.data());
  envp.push_back(nullptr);
  std::vector<std::string> argv_strings{binary};
  argv_strings.insert(argv_strings.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& s : argv_strings) argv.push_back(s.data());
  argv.push_back(nullptr);

  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
  pid_ = fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    dup2(fds[1], STDOUT_FILENO);
    dup2(fds[1], STDERR_FILENO);
    execve(binary.c_str(), argv.data(), envp.data());
    _exit(127);
  }
  close(fds[1]);
  reader_ = std::thread([this, fd = fds[0]] { read_loop(fd); });
}

ChildProcess::~ChildProcess() {
  if (!exit_code_) {
    ::kill(pid_, SIGKILL);
    int status = 0;
    waitpid(pid_, &status, 0);
  }
  if (reader_.joinable()) reader_.join();
}

void ChildProcess::read_loop(int fd) {
  std::string partial;
  char buf[4096];
  while (true) {
    const ssize_t n = read(fd, buf, sizeof buf);
    if (n <= 0) break;
    partial.append(buf, static_cast<std::size_t>(n));
    std::size_t nl = 0;
    while ((nl = partial.find('\n')) != std::string::npos) {
      std::lock_guard lock(mutex_);
      lines_.push_back(partial.substr(0, nl));
      partial.erase(0, nl + 1);
      cv_.notify_all();
    }
  }
  close(fd);
  std::lock_guard lock(mutex_);
  if (!partial.empty()) lines_.push_back(partial);
  eof_ = true;
  cv_.notify_all();
}

std::optional<std::string> ChildProcess::wait_for_line(const std::function<bool(const std::string&)>& pred,
                                                       std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  std::size_t seen = 0;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    for (; seen < lines_.size(); ++seen) {
      if (pred(lines_[seen])) return lines_[seen];
    }
    if (eof_) return std::nullopt;
    if (cv_.wait_until(lock, deadline) == std::cv_status::timeout && seen == lines_.size()) return std::nullopt;
  }
}

std::optional<nlohmann::json> ChildProcess::wait_for_event(const std::string& event,
                                                           std::chrono::milliseconds timeout) {
  auto line = wait_for_line(
      [&](const std::string& l) {
        auto j = nlohmann::json::parse(l, nullptr, false);
        return !j.is_discarded() && j.is_object() && j.value("event", "") == event;
      },
      timeout);
  if (!line) return std::nullopt;
  return nlohmann::json::parse(*line);
}

void ChildProcess::signal(int sig) {
  ::kill(pid_, sig);
}

std::optional<int> ChildProcess::wait_exit(std::chrono::milliseconds timeout) {
  if (exit_code_) return exit_code_;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  int status = 0;
  while (true) {
    const pid_t r = waitpid(pid_, &status, WNOHANG);
    if (r == pid_) break;
    if (std::chrono::steady_clock::now() > deadline) return std::nullopt;
    // Polling waitpid is the portable bounded wait for a child; 10 ms granularity is plenty.
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  if (reader_.joinable()) reader_.join();
  return exit_code_;
}

std::vector<std::string> ChildProcess::lines() const {
  std::lock_guard lock(mutex_);
  return lines_;
}

std::string ChildProcess::output() const {
  std::string out;
  for (const auto& l : lines()) out += l + "\n";
  return out;
}

std::pair<int, std::string> run_binary(const std::vector<std::string>& args,
                                       const std::map<std::string, std::string>& env) {
  ChildProcess p(binary_path(), args, env);
  const auto code = p.wait_exit(std::chrono::seconds(60));
  return {code.value_or(-1), p.output()};
}

ServerProcess start_server(const std::string& database_url, std::map<std::string, std::string> extra_env) {
  std::map<std::string, std::string> env{{"DATABASE_URL", database_url},
                                         {"JWT_SECRET", "test-secret-test-secret-test-secret-0123"},
                                         {"TOKEN_ENCRYPTION_KEY", std::string(kTestTokenKeyRing)},
                                         {"PORT", "0"},
                                         {"STATIC_DIR", "/nonexistent"},
                                         {"LOG_LEVEL", "info"}};
  for (auto& [k, v] : extra_env) env[k] = v;
  ServerProcess s;
  s.process = std::make_unique<ChildProcess>(binary_path(), std::vector<std::string>{"serve"}, env);
  const auto listening = s.process->wait_for_event("listening");
  if (!listening) {
    throw std::runtime_error("server did not start:\n" + s.process->output());
  }
  s.port = (*listening)["port"].get<int>();
  return s;
}

}  // namespace otq::testing
