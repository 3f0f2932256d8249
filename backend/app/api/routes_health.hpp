// Liveness, readiness and the API description.
#pragma once

#include "app/api/router.hpp"
#include "app/http/message.hpp"

namespace otq::api::routes {

/// GET /api/v1/health: the process answers; touches nothing else.
http::Response get_health(http::Request& req);

/// GET /api/v1/ready: the database answers and its migrations are current; 503 otherwise.
http::Response get_ready(AppContext& app, http::Request& req);

/// GET /api/v1/openapi.json: the OpenAPI 3.1 document compiled into the binary.
http::Response get_openapi(http::Request& req);

}  // namespace otq::api::routes
