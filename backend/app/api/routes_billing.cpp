// Billing handlers.
#include "app/api/routes_billing.hpp"

#include "app/api/deps.hpp"
#include "app/schemas/billing.hpp"
#include "app/services/billing_service.hpp"

namespace otq::api::routes {

http::Response get_billing_plans(AppContext& app, http::Request&) {
  auto res = http::Response::json(200, app.billing.plans());
  res.header("Cache-Control", "public, max-age=300");
  return res;
}

http::Response get_billing_me(AppContext& app, http::Request&, const services::AuthContext& ctx) {
  return http::Response::json(200, app.billing.me(ctx));
}

http::Response post_billing_checkout(AppContext& app, http::Request& req, const services::AuthContext& ctx) {
  const auto body = schemas::billing::parse_checkout(req.json_object(), app.config.billing.catalog);
  return http::Response::json(200, app.billing.checkout(ctx, body, deps::meta(req)));
}

http::Response post_billing_portal(AppContext& app, http::Request& req, const services::AuthContext& ctx) {
  return http::Response::json(200, app.billing.portal(ctx, deps::meta(req)));
}

http::Response post_billing_webhook(AppContext& app, http::Request& req) {
  // The raw bytes, exactly as received: the signature covers them.
  const auto result = app.billing.webhook(req.headers.get("Stripe-Signature").value_or(""), req.body);
  return http::Response::json(result.status, result.body);
}

}  // namespace otq::api::routes
