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
  out.account_name = r.required_string("account_name", 200);
  out.name = r.optional_string("name", 200);
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

SwitchAccountRequest parse_switch_account(const nlohmann::json& body) {
  ObjectReader r(body);
  SwitchAccountRequest out{r.required_string("account_id", 64)};
  r.finish();
  return out;
}

}  // namespace otq::schemas::auth
