// Authentication of a request: token extraction, CSRF guard, role check.
#include "app/api/deps.hpp"

#include <fmt/format.h>

#include "app/errors.hpp"

namespace otq::api::deps {
namespace {

std::optional<std::string> bearer_token(const http::Request& req) {
  const auto header = req.headers.get("Authorization");
  if (!header) return std::nullopt;
  if (header->size() < 8 || !(header->substr(0, 7) == "Bearer " || header->substr(0, 7) == "bearer ")) {
    throw Error(ErrorCode::unauthenticated, "Use 'Authorization: Bearer <token>'.");
  }
  return std::string(header->substr(7));
}

bool is_json(const http::Request& req) {
  const auto ct = req.headers.get("Content-Type");
  return ct && (ct->starts_with("application/json") || ct->starts_with("Application/JSON"));
}

}  // namespace

services::AuthContext require(AppContext& app, const http::Request& req, models::Role min_role, Callers callers) {
  auto token = bearer_token(req);
  if (!token) {
    token = req.cookie(kSessionCookie);
    // A browser attaches cookies to cross-site requests; a cross-site page cannot send JSON
    // without a CORS preflight, which only CORS_ORIGINS pass. So state changes via cookie must be JSON.
    const bool unsafe = req.method != http::Method::get && req.method != http::Method::head;
    if (token && unsafe && !is_json(req)) {
      throw Error(ErrorCode::forbidden, "Send state-changing requests with Content-Type: application/json.");
    }
  }
  if (!token || token->empty()) {
    throw Error(ErrorCode::unauthenticated, "Log in first: send 'Authorization: Bearer <token>'.");
  }
  services::AuthContext ctx = app.auth.authenticate(*token);
  if (ctx.principal == services::Principal::api_key) {
    const bool allowed = (callers == Callers::users_and_keys && ctx.api_key_role == "read") ||
                         (callers == Callers::ingest && ctx.api_key_role == "ingest");
    if (!allowed) {
      throw Error(ErrorCode::forbidden, fmt::format("A '{}' API key cannot use this route{}.", ctx.api_key_role,
                                                    callers == Callers::users ? "; log in as a user" : ""));
    }
  }
  if (!models::role_at_least(ctx.role, min_role)) {
    throw Error(ErrorCode::forbidden, fmt::format("Your role ({}) cannot do this; it needs {} or higher.",
                                                  models::role_name(ctx.role), models::role_name(min_role)));
  }
  return ctx;
}

services::RequestMeta meta(const http::Request& req) {
  services::RequestMeta m;
  m.request_id = req.request_id;
  if (!req.client_ip.empty()) m.ip = req.client_ip;
  if (auto ua = req.headers.get("User-Agent")) m.user_agent = std::string(ua->substr(0, 512));
  return m;
}

std::string session_cookie(const AppContext& app, const std::string& token) {
  return fmt::format("{}={}; Path=/; Max-Age={}; HttpOnly; SameSite=Lax{}", kSessionCookie, token,
                     security::kTokenLifetime.count(), app.config.dev_mode ? "" : "; Secure");
}

std::string cleared_session_cookie(const AppContext& app) {
  return fmt::format("{}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax{}", kSessionCookie,
                     app.config.dev_mode ? "" : "; Secure");
}

}  // namespace otq::api::deps
