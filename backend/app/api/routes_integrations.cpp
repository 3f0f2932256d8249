// Integrations handlers.
#include "app/api/routes_integrations.hpp"

#include <fmt/format.h>

#include "app/api/deps.hpp"
#include "app/errors.hpp"
#include "app/schemas/integrations.hpp"
#include "app/services/integrations_service.hpp"

namespace otq::api::routes {
namespace {

std::string param(const http::Request& req, const char* name) {
  const auto it = req.path_params.find(name);
  return it == req.path_params.end() ? "" : it->second;
}

std::map<std::string, std::string> query_map(const http::Request& req) {
  std::map<std::string, std::string> out;
  std::string_view q = req.query;
  while (!q.empty()) {
    const auto amp = q.find('&');
    const std::string_view pair = q.substr(0, amp);
    q = amp == std::string_view::npos ? std::string_view{} : q.substr(amp + 1);
    if (pair.empty()) continue;
    const auto eq = pair.find('=');
    auto key = http::percent_decode(pair.substr(0, eq), true);
    auto value = http::percent_decode(eq == std::string_view::npos ? "" : pair.substr(eq + 1), true);
    if (!key || !value) throw Error(ErrorCode::invalid_argument, "The query string has a bad % escape.");
    if (out.contains(*key)) throw Error(ErrorCode::invalid_argument, fmt::format("'{}' appears twice.", *key));
    out.emplace(std::move(*key), std::move(*value));
  }
  return out;
}

}  // namespace

http::Response get_integrations(AppContext& app, http::Request&, const services::AuthContext& ctx) {
  return http::Response::json(200, app.integrations.list(ctx));
}

http::Response get_integration(AppContext& app, http::Request& req, const services::AuthContext& ctx) {
  return http::Response::json(200, app.integrations.get(ctx, param(req, "id")));
}

http::Response patch_integration(AppContext& app, http::Request& req, const services::AuthContext& ctx) {
  const auto body = schemas::integrations::parse_patch(req.body);
  return http::Response::json(200, app.integrations.update(ctx, param(req, "id"), body, deps::meta(req)));
}

http::Response delete_integration(AppContext& app, http::Request& req, const services::AuthContext& ctx) {
  return http::Response::json(200, app.integrations.disconnect(ctx, param(req, "id"), deps::meta(req)));
}

http::Response post_integration_sync(AppContext& app, http::Request& req, const services::AuthContext& ctx) {
  return http::Response::json(202, app.integrations.sync_now(ctx, param(req, "id"), deps::meta(req)));
}

http::Response get_integration_runs(AppContext& app, http::Request& req, const services::AuthContext& ctx) {
  return http::Response::json(200, app.integrations.runs(ctx, param(req, "id"), query_map(req)));
}

http::Response get_integration_ad_accounts(AppContext& app, http::Request& req, const services::AuthContext& ctx) {
  return http::Response::json(200, app.integrations.ad_accounts(ctx, param(req, "id")));
}

http::Response post_integration_connect(AppContext& app, http::Request& req, const services::AuthContext& ctx) {
  auto result = app.integrations.connect(ctx, param(req, "provider"), req.body, deps::meta(req));
  return http::Response::json(result.status, result.body);
}

http::Response get_integration_callback(AppContext& app, http::Request& req) {
  std::optional<services::AuthContext> session;
  if (const auto cookie = req.cookie(deps::kSessionCookie); cookie && !cookie->empty()) {
    try {
      session = app.auth.authenticate(*cookie);
    } catch (const Error&) {
      // An expired or forged cookie is the same as none: the service refuses the callback.
    }
  }
  std::map<std::string, std::string> query;
  try {
    query = query_map(req);
  } catch (const Error&) {
    query.clear();  // refused below as an invalid state
  }
  http::Response res;
  res.status = 302;
  res.header("Location", app.integrations.callback(param(req, "provider"), query, session, deps::meta(req)));
  res.header("Cache-Control", "no-store");
  res.header("Referrer-Policy", "no-referrer");  // the code and state must not leak onwards
  return res;
}

}  // namespace otq::api::routes
