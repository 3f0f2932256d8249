// The audit log: who did what in an account, from where.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "app/models/scope.hpp"

namespace otq::models::audit {

struct Entry {
  std::string action;  ///< e.g. "auth.login", "auth.signup", "auth.switch_account"
  std::optional<std::int64_t> actor_user_id;
  std::optional<std::string> target_type;
  std::optional<std::string> target_id;  ///< a public id
  std::string request_id;
  std::optional<std::string> ip;
  std::optional<std::string> user_agent;
  nlohmann::json metadata = nlohmann::json::object();  ///< never secrets
};

void record(pqxx::transaction_base& tx, const AccountScope& scope, const Entry& entry);

}  // namespace otq::models::audit
