// Account API keys for machines (n8n, scripts): stored as SHA-256 hashes, shown once.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <pqxx/pqxx>

#include "app/models/scope.hpp"

namespace otq::models::api_key {

struct ApiKey {
  std::string public_id;
  std::string name;
  std::string role;        ///< read | ingest
  std::string prefix;      ///< first characters of the key, to recognise it in a list
  std::string created_at;  ///< RFC 3339 UTC
  std::optional<std::string> last_used_at;
};

/// `key_hash_hex`: hex SHA-256 of the full key.
ApiKey insert(pqxx::transaction_base& tx, const AccountScope& scope, const std::string& name, const std::string& role,
              const std::string& key_hash_hex, const std::string& prefix, std::int64_t created_by);

/// Active (not revoked) keys of the account, newest first.
std::vector<ApiKey> list_active(pqxx::transaction_base& tx, const AccountScope& scope);

/// Revokes the key; false when the account has no active key with this id.
bool revoke(pqxx::transaction_base& tx, const AccountScope& scope, const std::string& public_id);

/// The account a presented key belongs to. Deliberately unscoped: this lookup is how a key's
/// request gets its scope (services::AuthGate is the only caller).
struct Holder {
  std::int64_t key_id = 0;
  std::string key_public_id;
  std::int64_t account_id = 0;
  std::string account_public_id;
  std::string role;
};
std::optional<Holder> find_active_by_hash(pqxx::transaction_base& tx, const std::string& key_hash_hex);

/// Records use, at most once a minute per key (a write per request would be wasteful).
void touch(pqxx::transaction_base& tx, std::int64_t key_id);

}  // namespace otq::models::api_key
