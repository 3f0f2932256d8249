// Request and response shapes of /api/v1/auth/*.
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace otq::schemas::auth {

struct SignupRequest {
  std::string email;
  std::string password;
  std::string account_name;
  std::optional<std::string> name;
  std::optional<std::string> timezone;  ///< IANA name; checked against PostgreSQL's list by the service
  std::optional<std::string> currency;  ///< ISO 4217
};

struct LoginRequest {
  std::string email;
  std::string password;
};

struct SwitchAccountRequest {
  std::string account_id;  ///< public id
};

SignupRequest parse_signup(const nlohmann::json& body);
LoginRequest parse_login(const nlohmann::json& body);
SwitchAccountRequest parse_switch_account(const nlohmann::json& body);

/// True for an active ISO 4217 alphabetic code ("USD", "EUR", ...).
bool is_iso4217(std::string_view code);

}  // namespace otq::schemas::auth
