// The audit log: who did what in an account, from where.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

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

struct Row {
  std::int64_t id = 0;     ///< internal; only ever leaves the server sealed inside a cursor
  std::string created_at;  ///< RFC 3339 UTC with microseconds (also the cursor's sort key)
  std::string action;
  std::optional<std::string> actor_id;  ///< user public id
  std::optional<std::string> actor_email;
  std::optional<std::string> target_type;
  std::optional<std::string> target_id;
  std::optional<std::string> ip;
  std::optional<std::string> user_agent;
  std::string request_id;
  nlohmann::json metadata;
};

/// Newest first; `before` = (created_at, id) of the last row of the previous page.
std::vector<Row> list(pqxx::transaction_base& tx, const AccountScope& scope, int limit,
                      const std::optional<std::pair<std::string, std::int64_t>>& before,
                      const std::optional<std::string>& action);

}  // namespace otq::models::audit
