// Structured JSON logging: one JSON object per line on stdout, every line tagged with the request id.
#pragma once

#include <string>
#include <string_view>

#include <spdlog/common.h>
#include <nlohmann/json.hpp>

namespace otq::log {

/// Installs the JSON line logger at the given level ("trace".."error"). Call once, early in main.
void init(std::string_view level);

/// Writes one line: {"ts","level","event", ...fields, "request_id" when inside a request}.
/// Fields must never hold secrets, tokens or passwords.
void write(spdlog::level::level_enum level, std::string_view event,
           const nlohmann::json& fields = nlohmann::json::object());

inline void info(std::string_view event, const nlohmann::json& fields = nlohmann::json::object()) {
  write(spdlog::level::info, event, fields);
}
inline void warn(std::string_view event, const nlohmann::json& fields = nlohmann::json::object()) {
  write(spdlog::level::warn, event, fields);
}
inline void error(std::string_view event, const nlohmann::json& fields = nlohmann::json::object()) {
  write(spdlog::level::err, event, fields);
}

/// Writes buffered lines now (after start-up and before exit, so supervisors see them promptly).
void flush();

/// Sets the request id for log lines written by this thread until the scope ends.
class RequestIdScope {
 public:
  explicit RequestIdScope(std::string request_id);
  ~RequestIdScope();
  RequestIdScope(const RequestIdScope&) = delete;
  RequestIdScope& operator=(const RequestIdScope&) = delete;

 private:
  std::string previous_;
};

/// The request id of the current thread's scope, or empty.
const std::string& current_request_id();

}  // namespace otq::log
