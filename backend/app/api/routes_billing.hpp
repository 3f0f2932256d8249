// /api/v1/billing/*: plans, Stripe Checkout, the customer portal, the account's billing state and
// Stripe's webhooks.
#pragma once

#include "app/api/router.hpp"
#include "app/http/message.hpp"
#include "app/services/auth_service.hpp"

namespace otq::api::routes {

/// GET /api/v1/billing/plans: public (the marketing page's pricing reads it).
http::Response get_billing_plans(AppContext& app, http::Request& req);
http::Response get_billing_me(AppContext& app, http::Request& req, const services::AuthContext& ctx);
http::Response post_billing_checkout(AppContext& app, http::Request& req, const services::AuthContext& ctx);
http::Response post_billing_portal(AppContext& app, http::Request& req, const services::AuthContext& ctx);
/// POST /api/v1/billing/webhook: public; the Stripe-Signature header authenticates it.
http::Response post_billing_webhook(AppContext& app, http::Request& req);

}  // namespace otq::api::routes
