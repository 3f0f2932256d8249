// SQL for the audit log.
#include "app/models/audit.hpp"

namespace otq::models::audit {
namespace {
constexpr const char* kInsert =
    "INSERT INTO audit_log (account_id, actor_user_id, action, target_type, target_id, request_id, ip, user_agent, "
    "metadata) VALUES ($1, $2, $3, $4, $5, $6, $7::inet, $8, $9::jsonb)";
}

void record(pqxx::transaction_base& tx, const AccountScope& scope, const Entry& e) {
  tx.exec_params0(kInsert, scope.account_id(), e.actor_user_id, e.action, e.target_type, e.target_id, e.request_id,
                  e.ip, e.user_agent, e.metadata.dump());
}

}  // namespace otq::models::audit
