// Users: people who log in. Not tenant data (a user may belong to many accounts).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <pqxx/pqxx>

namespace otq::models::user {

struct User {
  std::int64_t id = 0;
  std::string public_id;
  std::string email;
  std::optional<std::string> name;
  std::optional<std::string> password_hash;
  /// Seconds since the epoch, rounded up (0 = never changed): tokens with an earlier iat were
  /// issued before the last password change and are refused; new tokens are issued no earlier.
  std::int64_t password_changed_at = 0;
};

/// Case-insensitive lookup.
std::optional<User> find_by_email(pqxx::transaction_base& tx, const std::string& email);
std::optional<User> find_by_public_id(pqxx::transaction_base& tx, const std::string& public_id);

/// Inserts and returns the new user; throws pqxx::unique_violation for a taken email.
User insert(pqxx::transaction_base& tx, const std::string& email, const std::optional<std::string>& name,
            const std::string& password_hash);

void set_last_login(pqxx::transaction_base& tx, std::int64_t user_id);

/// Stores a new hash and moves password_changed_at to now, which ends every earlier session.
User set_password(pqxx::transaction_base& tx, std::int64_t user_id, const std::string& password_hash);

/// Stores a reset token's hash, valid for `minutes`.
void insert_password_reset(pqxx::transaction_base& tx, std::int64_t user_id, const std::string& token_hash_hex,
                           int minutes);

/// The user of an unused, unexpired reset token, locking the row; nullopt otherwise.
std::optional<std::int64_t> claim_password_reset(pqxx::transaction_base& tx, const std::string& token_hash_hex);

/// Marks every outstanding reset of the user used (the claimed one included).
void use_password_resets(pqxx::transaction_base& tx, std::int64_t user_id);

std::optional<User> find_by_id(pqxx::transaction_base& tx, std::int64_t id);

}  // namespace otq::models::user
