// A Shopify order as the Admin REST API and webhooks send it, mapped to OmniTrackIQ's order row.
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "app/schemas/ingest.hpp"

namespace otq::connectors::shopify {

/// Maps one order (the object of `orders.json` and of an `orders/*` webhook):
/// - money in the shop's currency (`*_set.shop_money` when present, else the plain fields), as
///   minor units without floats; the buyer's currency kept as `presentment_currency`;
/// - placed at `processed_at` (when the sale happened; imports set it), else `created_at`;
/// - the customer by Shopify id (a guest by email), UTM tags and click ids from `landing_site`;
/// - refunds listed in full (so a removed refund disappears): each refund's money is its
///   successful `refund` transactions, or, when those are in another currency, its line items,
///   tax and adjustments (shipping refunds) in shop money; capped so they never exceed the total.
/// Returns nullopt and sets `error` (naming the field) when the order cannot be read.
std::optional<schemas::ingest::OrderRow> order_from_rest(const nlohmann::json& order, std::string& error);

/// One refund (the object of a `refunds/create` webhook) in the shop's currency, as above, not yet
/// capped by its order's total (the store does that against the stored order).
std::optional<schemas::ingest::RefundRow> refund_from_rest(const nlohmann::json& refund,
                                                           const std::string& shop_currency, std::string& error);

}  // namespace otq::connectors::shopify
