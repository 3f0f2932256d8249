// SQL for auth_attempts. Both counts use partial/covering indexes from 0002_auth.sql.
#include "app/models/auth_attempt.hpp"

namespace otq::models::auth_attempt {
namespace {
constexpr const char* kInsert =
    "INSERT INTO auth_attempts (kind, email_normalized, ip, succeeded) VALUES ($1, $2, $3::inet, $4)";
constexpr const char* kCount = R"sql(
SELECT
  count(*) FILTER (WHERE NOT succeeded AND email_normalized = $2 AND ip IS NOT DISTINCT FROM $3::inet),
  count(*) FILTER (WHERE NOT succeeded AND email_normalized = $2),
  (SELECT count(*) FROM auth_attempts
     WHERE kind = $1 AND ip IS NOT DISTINCT FROM $3::inet AND created_at > now() - make_interval(secs => $4)),
  coalesce(extract(epoch FROM min(created_at) FILTER (
    WHERE NOT succeeded AND email_normalized = $2 AND ip IS NOT DISTINCT FROM $3::inet))::bigint, 0)
FROM auth_attempts
WHERE kind = $1 AND email_normalized = $2 AND NOT succeeded AND created_at > now() - make_interval(secs => $4))sql";
}  // namespace

void record(pqxx::transaction_base& tx, const std::string& kind, const std::string& email_normalized,
            const std::optional<std::string>& ip, bool succeeded) {
  tx.exec_params0(kInsert, kind, email_normalized, ip, succeeded);
}

Counts count_recent(pqxx::transaction_base& tx, const std::string& kind, const std::string& email_normalized,
                    const std::optional<std::string>& ip, int window_seconds) {
  const auto r = tx.exec_params1(kCount, kind, email_normalized, ip, window_seconds);
  return Counts{r[0].as<std::int64_t>(), r[1].as<std::int64_t>(), r[2].as<std::int64_t>(), r[3].as<std::int64_t>()};
}

}  // namespace otq::models::auth_attempt
