// Names of the neutral error codes.
#include "app/errors.hpp"

namespace otq {

std::string_view error_code_name(ErrorCode code) {
  switch (code) {
    case ErrorCode::invalid_argument: return "invalid_argument";
    case ErrorCode::unprocessable: return "unprocessable";
    case ErrorCode::unauthenticated: return "unauthenticated";
    case ErrorCode::forbidden: return "forbidden";
    case ErrorCode::not_found: return "not_found";
    case ErrorCode::method_not_allowed: return "method_not_allowed";
    case ErrorCode::conflict: return "conflict";
    case ErrorCode::payload_too_large: return "payload_too_large";
    case ErrorCode::payment_required: return "payment_required";
    case ErrorCode::rate_limited: return "rate_limited";
    case ErrorCode::upstream: return "upstream_error";
    case ErrorCode::unavailable: return "unavailable";
    case ErrorCode::internal: return "internal";
  }
  return "internal";
}

}  // namespace otq
