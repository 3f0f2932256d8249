// Webhook handlers: the headers and the raw body to the service, nothing parsed here.
#include "app/api/routes_webhooks.hpp"

namespace otq::api::routes {

http::Response post_shopify_webhook(AppContext& app, http::Request& req) {
  // The raw bytes, exactly as received: the HMAC covers them.
  const services::ShopifyDelivery delivery{std::string(req.headers.get("X-Shopify-Hmac-Sha256").value_or("")),
                                           std::string(req.headers.get("X-Shopify-Topic").value_or("")),
                                           std::string(req.headers.get("X-Shopify-Shop-Domain").value_or("")),
                                           std::string(req.headers.get("X-Shopify-Webhook-Id").value_or(""))};
  return http::Response::json(200, app.shopify_webhooks.receive(delivery, req.body));
}

}  // namespace otq::api::routes
