// The one error type services throw: a neutral code, a message safe to show, and detail for the log only.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace otq {

/// Neutral error codes. Services never speak HTTP; api/errors.cpp maps each code to a status.
enum class ErrorCode {
  invalid_argument,    ///< the request is malformed (bad JSON, wrong type, unknown field)
  unprocessable,       ///< well-formed but violates a rule (e.g. end date before start date)
  unauthenticated,     ///< no or bad credentials
  forbidden,           ///< authenticated, but the role does not allow this
  not_found,           ///< no such resource (or not visible to this account)
  method_not_allowed,  ///< the route exists, the method does not
  conflict,            ///< state conflict (duplicate, concurrent change)
  payload_too_large,   ///< body over the configured limit
  payment_required,    ///< plan limit reached
  rate_limited,        ///< too many requests
  upstream,            ///< a provider (Meta, Shopify, Stripe) failed
  unavailable,         ///< a dependency of ours (the database) is down or overloaded
  internal,            ///< a bug; details only in the log
};

/// Stable snake_case name of a code, as it appears in the error envelope.
std::string_view error_code_name(ErrorCode code);

/// A failure with a message a person can act on (`public_message`) and a detail that only goes
/// to the log (`internal_detail`: SQL state, provider response, file path).
class Error : public std::runtime_error {
 public:
  Error(ErrorCode code, std::string public_message, std::string internal_detail = {})
      : std::runtime_error(public_message),
        code_(code),
        public_message_(std::move(public_message)),
        internal_detail_(std::move(internal_detail)) {}

  ErrorCode code() const noexcept { return code_; }
  const std::string& public_message() const noexcept { return public_message_; }
  const std::string& internal_detail() const noexcept { return internal_detail_; }

  /// For rate_limited and unavailable: when the client may try again (sent as Retry-After).
  std::optional<int> retry_after_seconds() const noexcept { return retry_after_; }
  Error&& retry_after(int seconds) && {
    retry_after_ = seconds;
    return std::move(*this);
  }
  /// Machine-readable facts for the client (e.g. which plan limit was reached), sent as
  /// `error.details`. Never internal detail.
  const std::optional<nlohmann::json>& details() const noexcept { return details_; }
  Error&& with_details(nlohmann::json details) && {
    details_ = std::move(details);
    return std::move(*this);
  }

 private:
  ErrorCode code_;
  std::string public_message_;
  std::string internal_detail_;
  std::optional<int> retry_after_;
  std::optional<nlohmann::json> details_;
};

}  // namespace otq
