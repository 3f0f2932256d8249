// Login and signup attempts, counted for throttling across every server process.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <pqxx/pqxx>

namespace otq::models::auth_attempt {

void record(pqxx::transaction_base& tx, const std::string& kind, const std::string& email_normalized,
            const std::optional<std::string>& ip, bool succeeded);

struct Counts {
  std::int64_t failures_for_email_and_ip = 0;
  std::int64_t failures_for_email = 0;
  std::int64_t attempts_for_ip = 0;
  std::int64_t oldest_failure_epoch = 0;  ///< of the email+ip failures in the window, for Retry-After
};

/// Counts inside the last `window_seconds`.
Counts count_recent(pqxx::transaction_base& tx, const std::string& kind, const std::string& email_normalized,
                    const std::optional<std::string>& ip, int window_seconds);

}  // namespace otq::models::auth_attempt
