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

struct ChangePasswordRequest {
  std::string current_password;
  std::string new_password;
};

struct CreateApiKeyRequest {
  std::string name;
  std::string role;  ///< read | ingest
};

struct AccountRequest {  ///< POST /accounts (name required) and PATCH /accounts/current (all optional)
  std::optional<std::string> name;
  std::optional<std::string> timezone;
  std::optional<std::string> currency;
};

struct InviteRequest {
  std::string email;
  std::string role;
};

AccountRequest parse_create_account(const nlohmann::json& body);
AccountRequest parse_update_account(const nlohmann::json& body);
InviteRequest parse_invite(const nlohmann::json& body);

/// DELETE /accounts/current: {"confirm": "<the account's id>"}; returns the confirmation.
std::string parse_account_erasure(const nlohmann::json& body);
std::string parse_role_change(const nlohmann::json& body);        ///< {"role"}
std::string parse_accept_invitation(const nlohmann::json& body);  ///< {"token"}

std::string parse_password_reset_request(const nlohmann::json& body);  ///< {"email"}
struct PasswordResetConfirm {
  std::string token;
  std::string new_password;
};
PasswordResetConfirm parse_password_reset_confirm(const nlohmann::json& body);

SignupRequest parse_signup(const nlohmann::json& body);
ChangePasswordRequest parse_change_password(const nlohmann::json& body);
CreateApiKeyRequest parse_create_api_key(const nlohmann::json& body);
LoginRequest parse_login(const nlohmann::json& body);
SwitchAccountRequest parse_switch_account(const nlohmann::json& body);

/// True for an active ISO 4217 alphabetic code ("USD", "EUR", ...).
bool is_iso4217(std::string_view code);

}  // namespace otq::schemas::auth
