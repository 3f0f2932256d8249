// /api/v1/metrics/*: what users pay for.
#pragma once

#include "app/api/router.hpp"
#include "app/http/message.hpp"
#include "app/services/auth_service.hpp"

namespace otq::api::routes {

/// GET /api/v1/metrics/definitions: every metric's formula, unit and direction.
http::Response get_metric_definitions(AppContext& app, http::Request& req, const services::AuthContext& ctx);

}  // namespace otq::api::routes
