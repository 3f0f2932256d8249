// Route table. Keep it sorted by path; each line: method, path, access, where it runs, handler.
#include "app/api/router.hpp"

#include "app/api/deps.hpp"
#include "app/api/routes_accounts.hpp"
#include "app/api/routes_auth.hpp"
#include "app/api/routes_billing.hpp"
#include "app/api/routes_health.hpp"
#include "app/api/routes_ingest.hpp"
#include "app/api/routes_integrations.hpp"
#include "app/api/routes_metrics.hpp"
#include "app/api/routes_webhooks.hpp"

namespace otq::api {

namespace {

using AuthedHandler = http::Response (*)(AppContext&, http::Request&, const services::AuthContext&);
using AppHandler = http::Response (*)(AppContext&, http::Request&);

// Authenticates, checks the role, then calls the handler with the context. Always on a worker:
// authentication reads the membership from the database.
http::Handler authed(AppContext& app, models::Role min_role, AuthedHandler fn,
                     deps::Callers callers = deps::Callers::users) {
  return [&app, min_role, fn, callers](http::Request& req) {
    return fn(app, req, deps::require(app, req, min_role, callers));
  };
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
  using deps::Callers;
  // Admins: a new account is a client account of this one's agency and takes one of its slots.
  r.add({Method::post, "/api/v1/accounts", Access::authenticated, Runs::on_worker,
         authed(app, Role::admin, routes::post_account)});
  r.add({Method::get, "/api/v1/accounts/current", Access::authenticated, Runs::on_worker,
         authed(app, Role::viewer, routes::get_current_account, Callers::users_and_keys)});
  r.add({Method::patch, "/api/v1/accounts/current", Access::authenticated, Runs::on_worker,
         authed(app, Role::admin, routes::patch_current_account)});
  r.add({Method::del, "/api/v1/accounts/current", Access::authenticated, Runs::on_worker,
         authed(app, Role::owner, routes::delete_current_account)});
  r.add({Method::post, "/api/v1/accounts/current/export", Access::authenticated, Runs::on_worker,
         authed(app, Role::owner, routes::post_account_export)});
  r.add({Method::del, "/api/v1/accounts/current/invitations/{id}", Access::authenticated, Runs::on_worker,
         authed(app, Role::admin, routes::delete_invitation)});
  r.add({Method::get, "/api/v1/accounts/current/members", Access::authenticated, Runs::on_worker,
         authed(app, Role::viewer, routes::get_members)});
  r.add({Method::post, "/api/v1/accounts/current/members", Access::authenticated, Runs::on_worker,
         authed(app, Role::admin, routes::post_member)});
  r.add({Method::patch, "/api/v1/accounts/current/members/{user_id}", Access::authenticated, Runs::on_worker,
         authed(app, Role::admin, routes::patch_member)});
  // Viewers may leave an account; removing someone else needs admin (checked by the service).
  r.add({Method::del, "/api/v1/accounts/current/members/{user_id}", Access::authenticated, Runs::on_worker,
         authed(app, Role::viewer, routes::delete_member)});
  r.add({Method::get, "/api/v1/api-keys", Access::authenticated, Runs::on_worker,
         authed(app, Role::admin, routes::get_api_keys)});
  r.add({Method::post, "/api/v1/api-keys", Access::authenticated, Runs::on_worker,
         authed(app, Role::admin, routes::post_api_key)});
  r.add({Method::del, "/api/v1/api-keys/{id}", Access::authenticated, Runs::on_worker,
         authed(app, Role::admin, routes::delete_api_key)});
  r.add({Method::post, "/api/v1/invitations/accept", Access::authenticated, Runs::on_worker,
         authed(app, Role::viewer, routes::post_accept_invitation)});
  r.add({Method::get, "/api/v1/audit-log", Access::authenticated, Runs::on_worker,
         authed(app, Role::admin, routes::get_audit_log)});
  r.add({Method::post, "/api/v1/auth/login", Access::public_route, Runs::on_worker, with_app(app, routes::post_login)});
  r.add(
      {Method::post, "/api/v1/auth/logout", Access::public_route, Runs::on_worker, with_app(app, routes::post_logout)});
  r.add({Method::get, "/api/v1/auth/me", Access::authenticated, Runs::on_worker,
         authed(app, Role::viewer, routes::get_me)});
  r.add({Method::post, "/api/v1/auth/password", Access::authenticated, Runs::on_worker,
         authed(app, Role::viewer, routes::post_change_password)});
  r.add({Method::post, "/api/v1/auth/password-reset", Access::public_route, Runs::on_worker,
         with_app(app, routes::post_password_reset)});
  r.add({Method::post, "/api/v1/auth/password-reset/confirm", Access::public_route, Runs::on_worker,
         with_app(app, routes::post_password_reset_confirm)});
  r.add(
      {Method::post, "/api/v1/auth/signup", Access::public_route, Runs::on_worker, with_app(app, routes::post_signup)});
  r.add({Method::post, "/api/v1/auth/switch-account", Access::authenticated, Runs::on_worker,
         authed(app, Role::viewer, routes::post_switch_account)});
  r.add({Method::post, "/api/v1/billing/checkout", Access::authenticated, Runs::on_worker,
         authed(app, Role::admin, routes::post_billing_checkout)});
  r.add({Method::get, "/api/v1/billing/me", Access::authenticated, Runs::on_worker,
         authed(app, Role::viewer, routes::get_billing_me)});
  r.add({Method::get, "/api/v1/billing/plans", Access::public_route, Runs::on_io_thread,
         with_app(app, routes::get_billing_plans)});
  r.add({Method::post, "/api/v1/billing/portal", Access::authenticated, Runs::on_worker,
         authed(app, Role::admin, routes::post_billing_portal)});
  // Stripe calls this; its Stripe-Signature header (checked before the body is read) authenticates it.
  r.add({Method::post, "/api/v1/billing/webhook", Access::public_route, Runs::on_worker,
         with_app(app, routes::post_billing_webhook)});
  // Shopify calls this; its X-Shopify-Hmac-Sha256 header (checked before the body is read) authenticates it.
  r.add({Method::post, "/api/v1/webhooks/shopify", Access::public_route, Runs::on_worker,
         with_app(app, routes::post_shopify_webhook)});
  r.add({Method::get, "/api/v1/health", Access::public_route, Runs::on_io_thread,
         [](http::Request& req) { return routes::get_health(req); }});
  // Batches of up to 5,000 rows: a larger body limit than other routes.
  r.add({Method::post, "/api/v1/ingest/ad-spend", Access::authenticated, Runs::on_worker,
         authed(app, Role::analyst, routes::post_ingest_ad_spend, Callers::ingest), app.config.ingest_max_body_bytes});
  r.add({Method::post, "/api/v1/ingest/orders", Access::authenticated, Runs::on_worker,
         authed(app, Role::analyst, routes::post_ingest_orders, Callers::ingest), app.config.ingest_max_body_bytes});
  r.add({Method::get, "/api/v1/integrations", Access::authenticated, Runs::on_worker,
         authed(app, Role::viewer, routes::get_integrations)});
  r.add({Method::get, "/api/v1/integrations/{id}", Access::authenticated, Runs::on_worker,
         authed(app, Role::viewer, routes::get_integration)});
  r.add({Method::patch, "/api/v1/integrations/{id}", Access::authenticated, Runs::on_worker,
         authed(app, Role::admin, routes::patch_integration)});
  r.add({Method::del, "/api/v1/integrations/{id}", Access::authenticated, Runs::on_worker,
         authed(app, Role::admin, routes::delete_integration)});
  r.add({Method::get, "/api/v1/integrations/{id}/runs", Access::authenticated, Runs::on_worker,
         authed(app, Role::viewer, routes::get_integration_runs)});
  r.add({Method::get, "/api/v1/integrations/{id}/ad-accounts", Access::authenticated, Runs::on_worker,
         authed(app, Role::admin, routes::get_integration_ad_accounts)});
  r.add({Method::post, "/api/v1/integrations/{id}/sync", Access::authenticated, Runs::on_worker,
         authed(app, Role::analyst, routes::post_integration_sync)});
  // {provider}: facebook_ads, shopify, woocommerce... The callback is where the provider sends the
  // browser back; its signed state and the session cookie authenticate it.
  r.add({Method::get, "/api/v1/integrations/{provider}/callback", Access::public_route, Runs::on_worker,
         with_app(app, routes::get_integration_callback)});
  r.add({Method::post, "/api/v1/integrations/{provider}/connect", Access::authenticated, Runs::on_worker,
         authed(app, Role::admin, routes::post_integration_connect)});
  r.add({Method::get, "/api/v1/metrics/campaigns", Access::authenticated, Runs::on_worker,
         authed(app, Role::viewer, routes::get_metrics_campaigns, Callers::users_and_keys)});
  r.add({Method::get, "/api/v1/metrics/channels", Access::authenticated, Runs::on_worker,
         authed(app, Role::viewer, routes::get_metrics_channels, Callers::users_and_keys)});
  r.add({Method::get, "/api/v1/metrics/definitions", Access::authenticated, Runs::on_worker,
         authed(app, Role::viewer, routes::get_metric_definitions, Callers::users_and_keys)});
  r.add({Method::get, "/api/v1/metrics/orders", Access::authenticated, Runs::on_worker,
         authed(app, Role::viewer, routes::get_metrics_orders, Callers::users_and_keys)});
  r.add({Method::get, "/api/v1/metrics/orders.csv", Access::authenticated, Runs::on_worker,
         authed(app, Role::viewer, routes::get_metrics_orders_csv, Callers::users_and_keys)});
  r.add({Method::get, "/api/v1/metrics/summary", Access::authenticated, Runs::on_worker,
         authed(app, Role::viewer, routes::get_metrics_summary, Callers::users_and_keys)});
  r.add({Method::get, "/api/v1/metrics/timeseries", Access::authenticated, Runs::on_worker,
         authed(app, Role::viewer, routes::get_metrics_timeseries, Callers::users_and_keys)});
  r.add({Method::get, "/api/v1/openapi.json", Access::public_route, Runs::on_io_thread,
         [](http::Request& req) { return routes::get_openapi(req); }});
  r.add({Method::get, "/api/v1/ready", Access::public_route, Runs::on_worker,
         [&app](http::Request& req) { return routes::get_ready(app, req); }});
  return r;
}

}  // namespace otq::api
