// Error code → HTTP status, and the JSON envelope (PRODUCT.md "API conventions").
#include "app/api/errors.hpp"

namespace otq::api {

int http_status(ErrorCode code) {
  switch (code) {
    case ErrorCode::invalid_argument: return 400;
    case ErrorCode::unauthenticated: return 401;
    case ErrorCode::payment_required: return 402;
    case ErrorCode::forbidden: return 403;
    case ErrorCode::not_found: return 404;
    case ErrorCode::method_not_allowed: return 405;
    case ErrorCode::conflict: return 409;
    case ErrorCode::payload_too_large: return 413;
    case ErrorCode::unprocessable: return 422;
    case ErrorCode::rate_limited: return 429;
    case ErrorCode::internal: return 500;
    case ErrorCode::upstream: return 502;
    case ErrorCode::unavailable: return 503;
  }
  return 500;
}

http::Response error_response(ErrorCode code, std::string_view message, std::string_view request_id,
                              const std::optional<nlohmann::json>& details) {
  nlohmann::json error{{"code", error_code_name(code)}, {"message", message}, {"request_id", request_id}};
  if (details) error["details"] = *details;
  return http::Response::json(http_status(code), {{"error", error}});
}

http::Response internal_error_response(std::string_view request_id) {
  return error_response(ErrorCode::internal,
                        "Something went wrong on our side. Quote the request id if you contact support.", request_id);
}

}  // namespace otq::api
