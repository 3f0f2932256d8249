// Route table. Keep it sorted by path; each line: method, path, access, where it runs, handler.
#include "app/api/router.hpp"

#include "app/api/routes_health.hpp"

namespace otq::api {

http::Router build_router(AppContext& app) {
  using http::Access;
  using http::Method;
  using http::Runs;
  http::Router r;
  r.add({Method::get, "/api/v1/health", Access::public_route, Runs::on_io_thread,
         [](http::Request& req) { return routes::get_health(req); }});
  r.add({Method::get, "/api/v1/openapi.json", Access::public_route, Runs::on_io_thread,
         [](http::Request& req) { return routes::get_openapi(req); }});
  r.add({Method::get, "/api/v1/ready", Access::public_route, Runs::on_worker,
         [&app](http::Request& req) { return routes::get_ready(app, req); }});
  return r;
}

}  // namespace otq::api
