// Account and membership handlers: parse → one service call → respond.
#include "app/api/routes_accounts.hpp"

#include "app/api/deps.hpp"
#include "app/errors.hpp"
#include "app/schemas/auth.hpp"
#include "app/services/account_service.hpp"

namespace otq::api::routes {
namespace {

nlohmann::json account_json(const models::account::Account& a, models::Role role) {
  return {{"id", a.public_id},      {"name", a.name}, {"timezone", a.timezone},
          {"currency", a.currency}, {"plan", a.plan}, {"role", models::role_name(role)}};
}

nlohmann::json member_json(const models::member::Member& m) {
  return {
      {"user",
       {{"id", m.user_public_id}, {"email", m.email}, {"name", m.name ? nlohmann::json(*m.name) : nlohmann::json()}}},
      {"role", models::role_name(m.role)},
      {"joined_at", m.joined_at}};
}

nlohmann::json invitation_json(const models::member::Invitation& i) {
  return {{"id", i.public_id},
          {"email", i.email},
          {"role", models::role_name(i.role)},
          {"created_at", i.created_at},
          {"expires_at", i.expires_at}};
}

models::Role role_of(const std::string& name) {
  return models::parse_role(name).value_or(models::Role::viewer);
}

}  // namespace

http::Response post_account(AppContext& app, http::Request& req, const services::AuthContext& ctx) {
  const auto body = schemas::auth::parse_create_account(req.json_object());
  const auto m = app.auth.create_account(ctx, *body.name, body.timezone, body.currency, deps::meta(req),
                                         app.config.billing.catalog);
  return http::Response::json(201, account_json(m.account, m.role));
}

http::Response patch_current_account(AppContext& app, http::Request& req, const services::AuthContext& ctx) {
  const auto body = schemas::auth::parse_update_account(req.json_object());
  const auto a = app.accounts.update(ctx, {body.name, body.timezone, body.currency}, deps::meta(req));
  return http::Response::json(200, account_json(a, ctx.role));
}

http::Response get_members(AppContext& app, http::Request&, const services::AuthContext& ctx) {
  const auto people = app.accounts.people(ctx);
  nlohmann::json members = nlohmann::json::array();
  nlohmann::json invitations = nlohmann::json::array();
  for (const auto& m : people.members) members.push_back(member_json(m));
  for (const auto& i : people.invitations) invitations.push_back(invitation_json(i));
  return http::Response::json(200, {{"data", members}, {"invitations", invitations}});
}

http::Response post_member(AppContext& app, http::Request& req, const services::AuthContext& ctx) {
  const auto body = schemas::auth::parse_invite(req.json_object());
  const auto invitation =
      app.accounts.invite(ctx, body.email, role_of(body.role), deps::meta(req), app.config.billing.catalog);
  return http::Response::json(201, invitation_json(invitation));
}

http::Response patch_member(AppContext& app, http::Request& req, const services::AuthContext& ctx) {
  const auto role = schemas::auth::parse_role_change(req.json_object());
  const auto m = app.accounts.change_role(ctx, req.path_params.at("user_id"), role_of(role), deps::meta(req));
  return http::Response::json(200, member_json(m));
}

http::Response delete_member(AppContext& app, http::Request& req, const services::AuthContext& ctx) {
  app.accounts.remove(ctx, req.path_params.at("user_id"), deps::meta(req));
  return http::Response::empty(204);
}

http::Response post_account_export(AppContext& app, http::Request& req, const services::AuthContext& ctx) {
  if (!req.body.empty()) req.json_object();  // a body, if any, must at least be a JSON object
  auto archive = app.data_rights.export_archive(ctx, deps::meta(req));
  http::Response res;
  res.status = 200;
  res.content_type = "application/gzip";
  res.stream = std::move(archive.write);
  res.header("Content-Disposition", "attachment; filename=\"" + archive.filename + "\"");
  return res;
}

http::Response delete_current_account(AppContext& app, http::Request& req, const services::AuthContext& ctx) {
  const std::string confirmation = schemas::auth::parse_account_erasure(req.json_object());
  const auto rows = app.data_rights.erase_account(ctx, confirmation, deps::meta(req));
  return http::Response::json(200, {{"erased", true}, {"account", ctx.account_public_id}, {"rows", rows}});
}

http::Response delete_invitation(AppContext& app, http::Request& req, const services::AuthContext& ctx) {
  app.accounts.revoke_invitation(ctx, req.path_params.at("id"), deps::meta(req));
  return http::Response::empty(204);
}

http::Response get_audit_log(AppContext& app, http::Request& req, const services::AuthContext& ctx) {
  int limit = 50;
  if (const auto raw = req.query_param("limit")) {
    try {
      std::size_t used = 0;
      limit = std::stoi(*raw, &used);
      // Digits only, as the metrics routes read it: no sign, no spaces ("+5", " 5").
      if (used != raw->size() || std::to_string(limit) != *raw) throw std::invalid_argument("not canonical");
    } catch (const std::exception&) {
      limit = 0;
    }
    if (limit < 1 || limit > 200) throw Error(ErrorCode::invalid_argument, "Query parameter 'limit' must be 1 to 200.");
  }
  const auto page = app.accounts.audit_log(ctx, limit, req.query_param("cursor"), req.query_param("action"));
  nlohmann::json data = nlohmann::json::array();
  auto opt = [](const std::optional<std::string>& v) { return v ? nlohmann::json(*v) : nlohmann::json(); };
  for (const auto& r : page.rows) {
    data.push_back(
        {{"action", r.action},
         {"actor", r.actor_id ? nlohmann::json{{"id", *r.actor_id}, {"email", opt(r.actor_email)}} : nlohmann::json()},
         {"target_type", opt(r.target_type)},
         {"target_id", opt(r.target_id)},
         {"ip", opt(r.ip)},
         {"user_agent", opt(r.user_agent)},
         {"request_id", r.request_id},
         {"metadata", r.metadata},
         {"created_at", r.created_at}});
  }
  return http::Response::json(200, {{"data", data}, {"next_cursor", opt(page.next_cursor)}});
}

http::Response post_accept_invitation(AppContext& app, http::Request& req, const services::AuthContext& ctx) {
  const auto token = schemas::auth::parse_accept_invitation(req.json_object());
  const auto m = app.auth.accept_invitation(ctx, token, deps::meta(req));
  return http::Response::json(200, account_json(m.account, m.role));
}

}  // namespace otq::api::routes
