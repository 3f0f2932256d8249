// Auth handlers: parse → one service call → respond (token in the body and in a cookie).
#include "app/api/routes_auth.hpp"

#include "app/api/deps.hpp"
#include "app/schemas/auth.hpp"

namespace otq::api::routes {
namespace {

nlohmann::json user_json(const models::user::User& u) {
  return {{"id", u.public_id}, {"email", u.email}, {"name", u.name ? nlohmann::json(*u.name) : nlohmann::json()}};
}

nlohmann::json account_json(const models::account::Membership& m) {
  return {{"id", m.account.public_id},      {"name", m.account.name}, {"timezone", m.account.timezone},
          {"currency", m.account.currency}, {"plan", m.account.plan}, {"role", models::role_name(m.role)}};
}

http::Response session_response(AppContext& app, int status, const services::Session& s) {
  http::Response r = http::Response::json(status, {{"access_token", s.access_token},
                                                   {"token_type", "bearer"},
                                                   {"expires_in", s.expires_in},
                                                   {"user", user_json(s.user)},
                                                   {"account", account_json(s.membership)}});
  r.header("Set-Cookie", deps::session_cookie(app, s.access_token));
  return r;
}

nlohmann::json api_key_json(const models::api_key::ApiKey& k) {
  return {{"id", k.public_id},
          {"name", k.name},
          {"role", k.role},
          {"prefix", k.prefix},
          {"created_at", k.created_at},
          {"last_used_at", k.last_used_at ? nlohmann::json(*k.last_used_at) : nlohmann::json()}};
}

}  // namespace

http::Response post_signup(AppContext& app, http::Request& req) {
  const auto body = schemas::auth::parse_signup(req.json_object());
  return session_response(app, 201, app.auth.signup(body, deps::meta(req)));
}

http::Response post_login(AppContext& app, http::Request& req) {
  const auto body = schemas::auth::parse_login(req.json_object());
  return session_response(app, 200, app.auth.login(body, deps::meta(req)));
}

http::Response post_logout(AppContext& app, http::Request&) {
  // Tokens are stateless: logout forgets the browser's copy. Changing the password ends every session.
  http::Response r = http::Response::empty(204);
  r.header("Set-Cookie", deps::cleared_session_cookie(app));
  return r;
}

http::Response get_me(AppContext& app, http::Request&, const services::AuthContext& ctx) {
  const services::Me me = app.auth.me(ctx);
  nlohmann::json accounts = nlohmann::json::array();
  for (const auto& m : me.accounts) accounts.push_back(account_json(m));
  return http::Response::json(200, {{"user", user_json(me.user)},
                                    {"account", account_json(me.current)},
                                    {"role", models::role_name(me.current.role)},
                                    {"accounts", accounts}});
}

http::Response post_switch_account(AppContext& app, http::Request& req, const services::AuthContext& ctx) {
  const auto body = schemas::auth::parse_switch_account(req.json_object());
  return session_response(app, 200, app.auth.switch_account(ctx, body.account_id, deps::meta(req)));
}

http::Response post_change_password(AppContext& app, http::Request& req, const services::AuthContext& ctx) {
  const auto body = schemas::auth::parse_change_password(req.json_object());
  return session_response(app, 200,
                          app.auth.change_password(ctx, body.current_password, body.new_password, deps::meta(req)));
}

http::Response get_api_keys(AppContext& app, http::Request&, const services::AuthContext& ctx) {
  nlohmann::json data = nlohmann::json::array();
  for (const auto& k : app.auth.list_api_keys(ctx)) data.push_back(api_key_json(k));
  return http::Response::json(200, {{"data", data}});
}

http::Response post_api_key(AppContext& app, http::Request& req, const services::AuthContext& ctx) {
  const auto body = schemas::auth::parse_create_api_key(req.json_object());
  const auto created = app.auth.create_api_key(ctx, body.name, body.role, deps::meta(req));
  nlohmann::json out = api_key_json(created.key);
  out["key"] = created.plaintext;  // the only time it is ever shown
  return http::Response::json(201, out);
}

http::Response delete_api_key(AppContext& app, http::Request& req, const services::AuthContext& ctx) {
  app.auth.revoke_api_key(ctx, req.path_params.at("id"), deps::meta(req));
  return http::Response::empty(204);
}

http::Response get_current_account(AppContext& app, http::Request&, const services::AuthContext& ctx) {
  return http::Response::json(200, account_json(app.auth.current_account(ctx)));
}

http::Response post_password_reset(AppContext& app, http::Request& req) {
  app.auth.request_password_reset(schemas::auth::parse_password_reset_request(req.json_object()), deps::meta(req));
  // The same answer whether or not the email has an account.
  return http::Response::json(
      202, {{"status", "accepted"}, {"message", "If this email has an account, a reset link is on its way."}});
}

http::Response post_password_reset_confirm(AppContext& app, http::Request& req) {
  const auto body = schemas::auth::parse_password_reset_confirm(req.json_object());
  app.auth.confirm_password_reset(body.token, body.new_password, deps::meta(req));
  return http::Response::empty(204);
}

}  // namespace otq::api::routes
