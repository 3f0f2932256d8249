// SQL for users.
#include "app/models/user.hpp"

#include "app/security/random.hpp"

namespace otq::models::user {
namespace {

constexpr const char* kColumns =
    "id, public_id, email, name, password_hash, coalesce(ceil(extract(epoch FROM password_changed_at)), 0)::bigint";
const std::string kFindByEmail = std::string("SELECT ") + kColumns + " FROM users WHERE lower(email) = lower($1)";
const std::string kFindByPublicId = std::string("SELECT ") + kColumns + " FROM users WHERE public_id = $1";
const std::string kInsert =
    std::string("INSERT INTO users (public_id, email, name, password_hash) VALUES ($1, $2, $3, $4) RETURNING ") +
    kColumns;
constexpr const char* kSetLastLogin = "UPDATE users SET last_login_at = now() WHERE id = $1";
const std::string kSetPassword =
    std::string(
        "UPDATE users SET password_hash = $2, password_changed_at = clock_timestamp() WHERE id = $1 RETURNING ") +
    kColumns;

User from_row(const pqxx::row& r) {
  User u;
  u.id = r[0].as<std::int64_t>();
  u.public_id = r[1].as<std::string>();
  u.email = r[2].as<std::string>();
  if (!r[3].is_null()) u.name = r[3].as<std::string>();
  if (!r[4].is_null()) u.password_hash = r[4].as<std::string>();
  u.password_changed_at = r[5].as<std::int64_t>();
  return u;
}

const std::string kFindById = std::string("SELECT ") + kColumns + " FROM users WHERE id = $1";
constexpr const char* kInsertReset =
    "INSERT INTO password_resets (user_id, token_hash, expires_at) "
    "VALUES ($1, decode($2, 'hex'), now() + make_interval(mins => $3))";
constexpr const char* kClaimReset =
    "SELECT user_id FROM password_resets WHERE token_hash = decode($1, 'hex') AND used_at IS NULL "
    "AND expires_at > now() FOR UPDATE";
constexpr const char* kUseResets = "UPDATE password_resets SET used_at = now() WHERE user_id = $1 AND used_at IS NULL";

}  // namespace

std::optional<User> find_by_id(pqxx::transaction_base& tx, std::int64_t id) {
  const auto rows = tx.exec_params(kFindById, id);
  if (rows.empty()) return std::nullopt;
  return from_row(rows[0]);
}

void insert_password_reset(pqxx::transaction_base& tx, std::int64_t user_id, const std::string& token_hash_hex,
                           int minutes) {
  tx.exec_params0(kInsertReset, user_id, token_hash_hex, minutes);
}

std::optional<std::int64_t> claim_password_reset(pqxx::transaction_base& tx, const std::string& token_hash_hex) {
  const auto rows = tx.exec_params(kClaimReset, token_hash_hex);
  if (rows.empty()) return std::nullopt;
  return rows[0][0].as<std::int64_t>();
}

void use_password_resets(pqxx::transaction_base& tx, std::int64_t user_id) {
  tx.exec_params0(kUseResets, user_id);
}

std::optional<User> find_by_email(pqxx::transaction_base& tx, const std::string& email) {
  const auto rows = tx.exec_params(kFindByEmail, email);
  if (rows.empty()) return std::nullopt;
  return from_row(rows[0]);
}

std::optional<User> find_by_public_id(pqxx::transaction_base& tx, const std::string& public_id) {
  const auto rows = tx.exec_params(kFindByPublicId, public_id);
  if (rows.empty()) return std::nullopt;
  return from_row(rows[0]);
}

User insert(pqxx::transaction_base& tx, const std::string& email, const std::optional<std::string>& name,
            const std::string& password_hash) {
  return from_row(tx.exec_params1(kInsert, security::new_public_id("usr"), email, name, password_hash));
}

void set_last_login(pqxx::transaction_base& tx, std::int64_t user_id) {
  tx.exec_params0(kSetLastLogin, user_id);
}

User set_password(pqxx::transaction_base& tx, std::int64_t user_id, const std::string& password_hash) {
  return from_row(tx.exec_params1(kSetPassword, user_id, password_hash));
}

}  // namespace otq::models::user
