// /api/v1/webhooks/*: deliveries from the stores we connect (Stripe's are under /billing).
#pragma once

#include "app/api/router.hpp"
#include "app/http/message.hpp"

namespace otq::api::routes {

/// POST /api/v1/webhooks/shopify: orders, refunds, uninstall and privacy requests; see ShopifyWebhooks.
http::Response post_shopify_webhook(AppContext& app, http::Request& req);

}  // namespace otq::api::routes
