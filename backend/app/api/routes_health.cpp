// Health handlers: thin, one service call each.
#include "app/api/routes_health.hpp"

#include <fmt/format.h>

#include "app/api/errors.hpp"
#include "app/embedded.hpp"
#include "app/services/health_service.hpp"

namespace otq::api::routes {

http::Response get_health(http::Request&) {
  return http::Response::json(200, {{"status", "ok"}, {"version", OTQ_VERSION}});
}

http::Response get_ready(AppContext& app, http::Request& req) {
  const services::Readiness r = services::check_readiness(app.pool);
  if (!r.database_reachable) {
    return error_response(ErrorCode::unavailable, "Not ready: the database is unreachable.", req.request_id);
  }
  if (!r.migrations_current) {
    return error_response(ErrorCode::unavailable,
                          fmt::format("Not ready: {} migration(s) pending and {} changed; run `omnitrackiq migrate`.",
                                      r.pending_migrations, r.changed_migrations),
                          req.request_id);
  }
  return http::Response::json(
      200,
      {{"status", "ready"}, {"database", "ok"}, {"migrations", {{"applied", r.applied_migrations}, {"pending", 0}}}});
}

http::Response get_openapi(http::Request&) {
  http::Response r;
  r.body = std::string(embedded::openapi_document());
  return r;
}

}  // namespace otq::api::routes
