// Shopify webhooks: POST /api/v1/webhooks/shopify verifies X-Shopify-Hmac-Sha256 over the raw
// body, records the delivery once per X-Shopify-Webhook-Id and answers at once; the worker then
// applies it to every account connected to that shop (one job each).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "app/config.hpp"
#include "app/db.hpp"
#include "app/models/scope.hpp"

namespace otq::services {

struct ShopifyDelivery {
  std::string hmac;        ///< X-Shopify-Hmac-Sha256
  std::string topic;       ///< X-Shopify-Topic, e.g. orders/updated
  std::string shop;        ///< X-Shopify-Shop-Domain
  std::string webhook_id;  ///< X-Shopify-Webhook-Id
};

class ShopifyWebhooks {
 public:
  static constexpr const char* kJobKind = "shopify.webhook";

  ShopifyWebhooks(db::Pool& pool, const Config& config) : pool_(pool), config_(config) {}

  /// Verifies, records and fans out one delivery. 401 for a missing or wrong signature (nothing
  /// stored), 400 for a signed body that is not a JSON object or lacks the Shopify headers,
  /// 503 when the server has no Shopify app secret. A repeat answers {"duplicate": true}.
  nlohmann::json receive(const ShopifyDelivery& delivery, std::string_view raw_body);

  /// The worker's job: applies delivery `payload.delivery` to the account of `scope` through
  /// its integration `payload.integration`. Returns what it did, for the delivery's outcome.
  std::string apply(const models::AccountScope& scope, const nlohmann::json& payload);

 private:
  db::Pool& pool_;
  const Config& config_;
};

/// Whether `hmac_base64` is base64(HMAC-SHA256(secret, raw_body)), compared in constant time.
bool valid_shopify_hmac(std::string_view secret, std::string_view raw_body, std::string_view hmac_base64);

}  // namespace otq::services
