// SQL for the audit log.
#include "app/models/audit.hpp"

namespace otq::models::audit {
namespace {
constexpr const char* kInsert =
    "INSERT INTO audit_log (account_id, actor_user_id, action, target_type, target_id, request_id, ip, user_agent, "
    "metadata) VALUES ($1, $2, $3, $4, $5, $6, $7::inet, $8, $9::jsonb)";
constexpr const char* kList = R"sql(
SELECT l.id, to_char(l.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), l.action, u.public_id, u.email,
       l.target_type, l.target_id, host(l.ip), l.user_agent, coalesce(l.request_id, ''), l.metadata::text
FROM audit_log l LEFT JOIN users u ON u.id = l.actor_user_id
WHERE l.account_id = $1
  AND ($2::timestamptz IS NULL OR (l.created_at, l.id) < ($2::timestamptz, $3::bigint))
  AND ($4::text IS NULL OR l.action = $4)
ORDER BY l.created_at DESC, l.id DESC
LIMIT $5)sql";

std::optional<std::string> opt(const pqxx::field& f) {
  if (f.is_null()) return std::nullopt;
  return f.as<std::string>();
}
}  // namespace

std::vector<Row> list(pqxx::transaction_base& tx, const AccountScope& scope, int limit,
                      const std::optional<std::pair<std::string, std::int64_t>>& before,
                      const std::optional<std::string>& action) {
  std::optional<std::string> before_ts;
  std::optional<std::int64_t> before_id;
  if (before) {
    before_ts = before->first;
    before_id = before->second;
  }
  std::vector<Row> out;
  for (const auto& r : tx.exec_params(kList, scope.account_id(), before_ts, before_id, action, limit)) {
    out.push_back(Row{r[0].as<std::int64_t>(), r[1].as<std::string>(), r[2].as<std::string>(), opt(r[3]), opt(r[4]),
                      opt(r[5]), opt(r[6]), opt(r[7]), opt(r[8]), r[9].as<std::string>(),
                      nlohmann::json::parse(r[10].as<std::string>())});
  }
  return out;
}

void record(pqxx::transaction_base& tx, const AccountScope& scope, const Entry& e) {
  tx.exec_params0(kInsert, scope.account_id(), e.actor_user_id, e.action, e.target_type, e.target_id, e.request_id,
                  e.ip, e.user_agent, e.metadata.dump());
}

}  // namespace otq::models::audit
