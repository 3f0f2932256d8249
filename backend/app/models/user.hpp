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
  std::int64_t password_changed_at = 0;  ///< seconds since the epoch
};

/// Case-insensitive lookup.
std::optional<User> find_by_email(pqxx::transaction_base& tx, const std::string& email);
std::optional<User> find_by_public_id(pqxx::transaction_base& tx, const std::string& public_id);

/// Inserts and returns the new user; throws pqxx::unique_violation for a taken email.
User insert(pqxx::transaction_base& tx, const std::string& email, const std::optional<std::string>& name,
            const std::string& password_hash);

void set_last_login(pqxx::transaction_base& tx, std::int64_t user_id);

}  // namespace otq::models::user
