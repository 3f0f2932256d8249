// Runs the real omnitrackiq binary as a child process and reads its JSON log lines.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

namespace otq::testing {

class ChildProcess {
 public:
  /// Starts `binary args...` with the parent's environment plus `env` (which wins).
  ChildProcess(const std::string& binary, const std::vector<std::string>& args,
               const std::map<std::string, std::string>& env);
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  /// Waits (bounded) for an output line matching `pred`; returns it, or nullopt at the deadline.
  std::optional<std::string> wait_for_line(const std::function<bool(const std::string&)>& pred,
                                           std::chrono::milliseconds timeout = std::chrono::seconds(20));

  /// Waits for a JSON log line whose "event" equals `event`.
  std::optional<nlohmann::json> wait_for_event(const std::string& event,
                                               std::chrono::milliseconds timeout = std::chrono::seconds(20));

  /// Sends a signal.
  void signal(int sig);

  /// Waits (bounded) for exit; returns the exit code, or nullopt on timeout (the child is then killed).
  std::optional<int> wait_exit(std::chrono::milliseconds timeout = std::chrono::seconds(20));

  /// Every line printed so far (stdout and stderr interleaved).
  std::vector<std::string> lines() const;

  /// The same, joined with newlines (for failure messages).
  std::string output() const;

 private:
  void read_loop(int fd);

  int pid_ = -1;
  std::optional<int> exit_code_;
  std::thread reader_;
  mutable std::mutex mutex_;
  std::condition_variable cv_;
  std::vector<std::string> lines_;
  bool eof_ = false;
};

/// Runs the binary to completion (bounded) and returns {exit code, output}.
std::pair<int, std::string> run_binary(const std::vector<std::string>& args,
                                       const std::map<std::string, std::string>& env);

/// The credential key ring test servers and workers run with (k1, 32 bytes of 0x11).
inline constexpr std::string_view kTestTokenKeyRing =
    "k1:1111111111111111111111111111111111111111111111111111111111111111";

/// Starts `omnitrackiq serve` on a free port against `database_url`; returns once it listens.
struct ServerProcess {
  std::unique_ptr<ChildProcess> process;
  int port = 0;
};
ServerProcess start_server(const std::string& database_url, std::map<std::string, std::string> extra_env = {});

}  // namespace otq::testing
