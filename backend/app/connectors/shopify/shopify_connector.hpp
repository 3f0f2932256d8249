// Shopify Admin REST API: orders (with refunds and customers) -> orders, incrementally by updated_at.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "app/connectors/connector.hpp"

namespace otq::connectors::shopify {

/// Settings (integration.settings): `backfill_days` (the first sync reads orders updated in
/// this many days, default 365). The stream `orders` keeps the newest `updated_at` read; each
/// sync asks for `updated_at_min` = that moment, `status=any` (cancelled and closed ones too).
class ShopifyConnector : public Connector {
 public:
  void sync(SyncContext& ctx) override;
};

/// The `rel="next"` URL of a Link header, or empty.
std::string next_link(std::string_view link_header);

/// How long to wait so the shop's leaky bucket drains to half (`X-Shopify-Shop-Api-Call-Limit:
/// 32/40` → 6 s at Shopify's standard 2 calls/s); zero below 80% of the bucket.
std::chrono::seconds bucket_pause(std::string_view call_limit_header);

/// An RFC 3339 timestamp as seconds since the epoch; nullopt when it is not one.
std::optional<std::int64_t> epoch_seconds(std::string_view rfc3339);

}  // namespace otq::connectors::shopify
