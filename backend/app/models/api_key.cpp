// SQL for api_keys.
#include "app/models/api_key.hpp"

#include "app/security/random.hpp"

namespace otq::models::api_key {
namespace {

// Timestamps leave the database as RFC 3339 UTC strings, the API's format.
constexpr const char* kColumns =
    "public_id, name, role, key_prefix, "
    "to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), "
    "to_char(last_used_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')";
const std::string kInsert =
    std::string(
        "INSERT INTO api_keys (account_id, public_id, name, role, key_hash, key_prefix, created_by) "
        "VALUES ($1, $2, $3, $4, decode($5, 'hex'), $6, $7) RETURNING ") +
    kColumns;
const std::string kListActive =
    std::string("SELECT ") + kColumns +
    " FROM api_keys WHERE account_id = $1 AND revoked_at IS NULL ORDER BY created_at DESC, id DESC";
constexpr const char* kRevoke =
    "UPDATE api_keys SET revoked_at = now() WHERE account_id = $1 AND public_id = $2 AND revoked_at IS NULL";
constexpr const char* kFindByHash =
    "SELECT k.id, k.public_id, a.id, a.public_id, k.role FROM api_keys k JOIN accounts a ON a.id = k.account_id "
    "WHERE k.key_hash = decode($1, 'hex') AND k.revoked_at IS NULL";
constexpr const char* kTouch =
    "UPDATE api_keys SET last_used_at = now() WHERE id = $1 "
    "AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')";

ApiKey from_row(const pqxx::row& r) {
  ApiKey k{r[0].as<std::string>(), r[1].as<std::string>(), r[2].as<std::string>(),
           r[3].as<std::string>(), r[4].as<std::string>(), std::nullopt};
  if (!r[5].is_null()) k.last_used_at = r[5].as<std::string>();
  return k;
}

}  // namespace

ApiKey insert(pqxx::transaction_base& tx, const AccountScope& scope, const std::string& name, const std::string& role,
              const std::string& key_hash_hex, const std::string& prefix, std::int64_t created_by) {
  return from_row(tx.exec_params1(kInsert, scope.account_id(), security::new_public_id("key"), name, role, key_hash_hex,
                                  prefix, created_by));
}

std::vector<ApiKey> list_active(pqxx::transaction_base& tx, const AccountScope& scope) {
  std::vector<ApiKey> out;
  for (const auto& r : tx.exec_params(kListActive, scope.account_id())) out.push_back(from_row(r));
  return out;
}

bool revoke(pqxx::transaction_base& tx, const AccountScope& scope, const std::string& public_id) {
  return tx.exec_params(kRevoke, scope.account_id(), public_id).affected_rows() == 1;
}

std::optional<Holder> find_active_by_hash(pqxx::transaction_base& tx, const std::string& key_hash_hex) {
  const auto rows = tx.exec_params(kFindByHash, key_hash_hex);
  if (rows.empty()) return std::nullopt;
  const auto& r = rows[0];
  return Holder{r[0].as<std::int64_t>(), r[1].as<std::string>(), r[2].as<std::int64_t>(), r[3].as<std::string>(),
                r[4].as<std::string>()};
}

void touch(pqxx::transaction_base& tx, std::int64_t key_id) {
  tx.exec_params0(kTouch, key_id);
}

}  // namespace otq::models::api_key
