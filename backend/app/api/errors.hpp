// The one table from error code to HTTP status, and the error envelope every failure uses.
#pragma once

#include <optional>
#include <string_view>

#include "app/errors.hpp"
#include "app/http/message.hpp"

namespace otq::api {

/// HTTP status for a neutral error code.
int http_status(ErrorCode code);

/// {"error": {"code", "message", "request_id"}} with the status from http_status().
http::Response error_response(ErrorCode code, std::string_view message, std::string_view request_id,
                              const std::optional<nlohmann::json>& details = std::nullopt);

/// The generic 500 body: the request id and nothing about the cause.
http::Response internal_error_response(std::string_view request_id);

}  // namespace otq::api
