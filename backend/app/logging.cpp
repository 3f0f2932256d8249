// spdlog set up to print JSON lines; the message part is a pre-serialised JSON fragment.
#include "app/logging.hpp"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

namespace otq::log {
namespace {
thread_local std::string t_request_id;  // per-thread context, not shared state
}

void init(std::string_view level) {
  auto logger = spdlog::stdout_logger_mt("otq");
  // The message is the body of a JSON object without its braces, so the pattern closes it.
  logger->set_pattern(R"({"ts":"%Y-%m-%dT%H:%M:%S.%fZ","level":"%l",%v})", spdlog::pattern_time_type::utc);
  logger->set_level(spdlog::level::from_str(std::string(level)));
  // Request lines are buffered and flushed every second (a flush per line costs ~30 % of peak
  // throughput, docs/benchmarks.md); warnings and errors are flushed at once.
  logger->flush_on(spdlog::level::warn);
  spdlog::set_default_logger(logger);
  spdlog::flush_every(std::chrono::seconds(1));
}

void write(spdlog::level::level_enum level, std::string_view event, const nlohmann::json& fields) {
  if (!spdlog::should_log(level)) return;
  nlohmann::ordered_json line = nlohmann::ordered_json::object();
  line["event"] = event;
  if (!t_request_id.empty()) line["request_id"] = t_request_id;
  if (fields.is_object()) {
    for (const auto& [key, value] : fields.items()) line[key] = value;
  }
  std::string text = line.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
  // Strip the outer braces: the pattern supplies them around ts and level.
  spdlog::log(level, "{}", std::string_view(text).substr(1, text.size() - 2));
}

void flush() {
  spdlog::default_logger()->flush();
}

RequestIdScope::RequestIdScope(std::string request_id) : previous_(std::move(t_request_id)) {
  t_request_id = std::move(request_id);
}

RequestIdScope::~RequestIdScope() {
  t_request_id = std::move(previous_);
}

const std::string& current_request_id() {
  return t_request_id;
}

}  // namespace otq::log
