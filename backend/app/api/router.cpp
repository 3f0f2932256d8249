// Route table. Keep it sorted by path; each line: method, path, access, where it runs, handler.
#include "app/api/router.hpp"

#include "app/api/deps.hpp"
#include "app/api/routes_auth.hpp"
#include "app/api/routes_health.hpp"

namespace otq::api {

namespace {

using AuthedHandler = http::Response (*)(AppContext&, http::Request&, const services::AuthContext&);
using AppHandler = http::Response (*)(AppContext&, http::Request&);

// Authenticates, checks the role, then calls the handler with the context. Always on a worker:
// authentication reads the membership from the database.
http::Handler authed(AppContext& app, models::Role min_role, AuthedHandler fn) {
  return [&app, min_role, fn](http::Request& req) { return fn(app, req, deps::require(app, req, min_role)); };
}

http::Handler with_app(AppContext& app, AppHandler fn) {
  return [&app, fn](http::Request& req) { return fn(app, req); };
}

}  // namespace

http::Router build_router(AppContext& app) {
  using http::Access;
  using http::Method;
  using http::Runs;
  using models::Role;
  http::Router r;
  r.add({Method::post, "/api/v1/auth/login", Access::public_route, Runs::on_worker, with_app(app, routes::post_login)});
  r.add(
      {Method::post, "/api/v1/auth/logout", Access::public_route, Runs::on_worker, with_app(app, routes::post_logout)});
  r.add({Method::get, "/api/v1/auth/me", Access::authenticated, Runs::on_worker,
         authed(app, Role::viewer, routes::get_me)});
  r.add(
      {Method::post, "/api/v1/auth/signup", Access::public_route, Runs::on_worker, with_app(app, routes::post_signup)});
  r.add({Method::post, "/api/v1/auth/switch-account", Access::authenticated, Runs::on_worker,
         authed(app, Role::viewer, routes::post_switch_account)});
  r.add({Method::get, "/api/v1/health", Access::public_route, Runs::on_io_thread,
         [](http::Request& req) { return routes::get_health(req); }});
  r.add({Method::get, "/api/v1/openapi.json", Access::public_route, Runs::on_io_thread,
         [](http::Request& req) { return routes::get_openapi(req); }});
  r.add({Method::get, "/api/v1/ready", Access::public_route, Runs::on_worker,
         [&app](http::Request& req) { return routes::get_ready(app, req); }});
  return r;
}

}  // namespace otq::api
