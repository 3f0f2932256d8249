// Parsing of auth request bodies: shape only; rules (password policy, uniqueness) live in the service.
#include "app/schemas/auth.hpp"

#include <algorithm>
#include <array>

#include "app/errors.hpp"
#include "app/schemas/object_reader.hpp"

namespace otq::schemas::auth {
namespace {

// Active ISO 4217 codes (list of 2024), sorted for binary search.
constexpr std::array<std::string_view, 155> kCurrencies{
    "AED", "AFN", "ALL", "AMD", "ANG", "AOA", "ARS", "AUD", "AWG", "AZN", "BAM", "BBD", "BDT", "BGN", "BHD", "BIF",
    "BMD", "BND", "BOB", "BRL", "BSD", "BTN", "BWP", "BYN", "BZD", "CAD", "CDF", "CHF", "CLP", "CNY", "COP", "CRC",
    "CUP", "CVE", "CZK", "DJF", "DKK", "DOP", "DZD", "EGP", "ERN", "ETB", "EUR", "FJD", "FKP", "GBP", "GEL", "GHS",
    "GIP", "GMD", "GNF", "GTQ", "GYD", "HKD", "HNL", "HTG", "HUF", "IDR", "ILS", "INR", "IQD", "IRR", "ISK", "JMD",
    "JOD", "JPY", "KES", "KGS", "KHR", "KMF", "KPW", "KRW", "KWD", "KYD", "KZT", "LAK", "LBP", "LKR", "LRD", "LSL",
    "LYD", "MAD", "MDL", "MGA", "MKD", "MMK", "MNT", "MOP", "MRU", "MUR", "MVR", "MWK", "MXN", "MYR", "MZN", "NAD",
    "NGN", "NIO", "NOK", "NPR", "NZD", "OMR", "PAB", "PEN", "PGK", "PHP", "PKR", "PLN", "PYG", "QAR", "RON", "RSD",
    "RUB", "RWF", "SAR", "SBD", "SCR", "SDG", "SEK", "SGD", "SHP", "SLE", "SOS", "SRD", "SSP", "STN", "SVC", "SYP",
    "SZL", "THB", "TJS", "TMT", "TND", "TOP", "TRY", "TTD", "TWD", "TZS", "UAH", "UGX", "USD", "UYU", "UZS", "VES",
    "VND", "VUV", "WST", "XAF", "XCD", "XOF", "XPF", "YER", "ZAR", "ZMW", "ZWG"};

}  // namespace

bool is_iso4217(std::string_view code) {
  return std::binary_search(kCurrencies.begin(), kCurrencies.end(), code);
}

SignupRequest parse_signup(const nlohmann::json& body) {
  ObjectReader r(body);
  SignupRequest out;
  out.email = parse_email("email", r.required_string("email", 320));
  // The policy (length 10-128 and the rest) is the service's; 4 KiB only stops abuse early.
  out.password = r.required_string("password", 4096);
  out.account_name = r.required_name("account_name", 200);
  out.name = r.optional_name("name", 200);
  out.timezone = r.optional_string("timezone", 64);
  out.currency = r.optional_string("currency", 3);
  r.finish();
  if (out.currency && !is_iso4217(*out.currency)) {
    throw Error(ErrorCode::invalid_argument, "Field 'currency' must be an ISO 4217 code such as USD or EUR.");
  }
  return out;
}

LoginRequest parse_login(const nlohmann::json& body) {
  ObjectReader r(body);
  LoginRequest out;
  out.email = parse_email("email", r.required_string("email", 320));
  out.password = r.required_string("password", 4096);
  r.finish();
  return out;
}

ChangePasswordRequest parse_change_password(const nlohmann::json& body) {
  ObjectReader r(body);
  ChangePasswordRequest out{r.required_string("current_password", 4096), r.required_string("new_password", 4096)};
  r.finish();
  return out;
}

CreateApiKeyRequest parse_create_api_key(const nlohmann::json& body) {
  ObjectReader r(body);
  CreateApiKeyRequest out{r.required_name("name", 100), r.required_string("role", 16)};
  r.finish();
  if (out.role != "read" && out.role != "ingest") {
    throw Error(ErrorCode::invalid_argument,
                "Field 'role' must be 'read' (viewer rights) or 'ingest' (ingest API only).");
  }
  return out;
}

namespace {
AccountRequest read_account(ObjectReader& r) {
  AccountRequest out;
  out.name = r.optional_name("name", 200);
  out.timezone = r.optional_string("timezone", 64);
  out.currency = r.optional_string("currency", 3);
  r.finish();
  if (out.currency && !is_iso4217(*out.currency)) {
    throw Error(ErrorCode::invalid_argument, "Field 'currency' must be an ISO 4217 code such as USD or EUR.");
  }
  return out;
}

void check_role(const std::string& role) {
  if (role != "owner" && role != "admin" && role != "analyst" && role != "viewer") {
    throw Error(ErrorCode::invalid_argument, "Field 'role' must be one of owner, admin, analyst, viewer.");
  }
}
}  // namespace

AccountRequest parse_create_account(const nlohmann::json& body) {
  ObjectReader r(body);
  AccountRequest out = read_account(r);
  if (!out.name) throw Error(ErrorCode::invalid_argument, "Field 'name' is required.");
  return out;
}

AccountRequest parse_update_account(const nlohmann::json& body) {
  ObjectReader r(body);
  AccountRequest out = read_account(r);
  if (!out.name && !out.timezone && !out.currency) {
    throw Error(ErrorCode::invalid_argument, "Send at least one of name, timezone, currency.");
  }
  return out;
}

std::string parse_account_erasure(const nlohmann::json& body) {
  ObjectReader r(body);
  std::string confirm = r.required_string("confirm", 64);
  r.finish();
  return confirm;
}

InviteRequest parse_invite(const nlohmann::json& body) {
  ObjectReader r(body);
  InviteRequest out{parse_email("email", r.required_string("email", 320)), r.required_string("role", 16)};
  r.finish();
  check_role(out.role);
  return out;
}

std::string parse_role_change(const nlohmann::json& body) {
  ObjectReader r(body);
  std::string role = r.required_string("role", 16);
  r.finish();
  check_role(role);
  return role;
}

std::string parse_accept_invitation(const nlohmann::json& body) {
  ObjectReader r(body);
  std::string token = r.required_string("token", 128);
  r.finish();
  return token;
}

std::string parse_password_reset_request(const nlohmann::json& body) {
  ObjectReader r(body);
  std::string email = parse_email("email", r.required_string("email", 320));
  r.finish();
  return email;
}

PasswordResetConfirm parse_password_reset_confirm(const nlohmann::json& body) {
  ObjectReader r(body);
  PasswordResetConfirm out{r.required_string("token", 128), r.required_string("new_password", 4096)};
  r.finish();
  return out;
}

SwitchAccountRequest parse_switch_account(const nlohmann::json& body) {
  ObjectReader r(body);
  SwitchAccountRequest out{r.required_string("account_id", 64)};
  r.finish();
  return out;
}

}  // namespace otq::schemas::auth
