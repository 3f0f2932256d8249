// What handlers need from a request before they run: the authenticated context and request meta.
#pragma once

#include "app/api/router.hpp"
#include "app/http/message.hpp"
#include "app/models/role.hpp"
#include "app/services/auth_service.hpp"

namespace otq::api::deps {

inline constexpr std::string_view kSessionCookie = "otq_session";

/// Who may call a route besides logged-in users.
enum class Callers {
  users,           ///< people only (sessions, account settings, key management)
  users_and_keys,  ///< people and `read` API keys (which act as viewers)
  ingest,          ///< people and `ingest` API keys
};

/// The caller's context from `Authorization: Bearer <token or API key>` or the session cookie.
/// Throws unauthenticated (no or bad credentials) or forbidden (role below `min_role`, a key on a
/// route not open to it, or a cookie-borne state-changing request that is not JSON: the CSRF guard).
services::AuthContext require(AppContext& app, const http::Request& req, models::Role min_role, Callers callers);

/// Request id, client IP and user agent for throttling and the audit log.
services::RequestMeta meta(const http::Request& req);

/// Set-Cookie value carrying `token` (HttpOnly, SameSite=Lax, Secure unless --dev on plain HTTP).
std::string session_cookie(const AppContext& app, const std::string& token);
/// Set-Cookie value that deletes the session cookie.
std::string cleared_session_cookie(const AppContext& app);

}  // namespace otq::api::deps
