// The ingest API's row format (a public contract, docs/ingest.md): parsing and row-by-row checks.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace otq::schemas::ingest {

inline constexpr std::size_t kMaxRows = 5000;
inline constexpr std::size_t kMaxRefundsPerOrder = 250;

/// One day of one campaign's spend. Natural key: platform + ad_account_id + campaign_id + date.
struct SpendRow {
  std::string platform;  ///< stored name: facebook_ads | google_ads | tiktok_ads
  std::string ad_account_id;
  std::string campaign_id;
  std::optional<std::string> campaign_name;
  std::string date;  ///< YYYY-MM-DD, the ad account's day
  std::string currency;
  std::int64_t spend = 0;  ///< minor units
  std::int64_t impressions = 0;
  std::int64_t clicks = 0;
  std::string conversions = "0";  ///< decimal text, at most 4 decimals
  std::int64_t conversion_value = 0;
};

struct CustomerRef {
  std::string external_id;  ///< given, or "email:" + the lower-cased email for guests
  std::optional<std::string> email;
  std::optional<std::string> first_name;
  std::optional<std::string> last_name;
};

struct RefundRow {
  std::string external_id;
  std::string created_at;  ///< RFC 3339
  std::int64_t amount = 0;
  std::optional<std::string> reason;
};

/// One order. Natural key: platform + external_id.
struct OrderRow {
  std::string platform;  ///< shopify | woocommerce | manual
  std::string external_id;
  std::optional<std::string> order_number;
  std::string placed_at;  ///< RFC 3339
  std::optional<std::string> updated_at;
  std::string currency;
  std::int64_t total = 0;
  std::int64_t subtotal = 0;
  std::int64_t discounts = 0;
  std::int64_t shipping = 0;
  std::int64_t tax = 0;
  std::optional<std::string> financial_status;
  std::optional<std::string> fulfillment_status;
  std::optional<std::string> cancelled_at;
  bool test = false;
  std::optional<CustomerRef> customer;
  std::optional<std::string> source_name;
  std::optional<std::string> landing_site;
  std::optional<std::string> referring_site;
  std::optional<std::string> utm_source, utm_medium, utm_campaign, utm_content, utm_term;
  std::optional<std::string> fbclid, gclid, ttclid;  ///< ad click ids of the landing page
  std::optional<std::string> presentment_currency;   ///< what the buyer paid in, when not `currency`
  std::optional<std::int64_t> line_items_count;
  /// nullopt: the row says nothing about refunds (stored ones stay); a list replaces them.
  std::optional<std::vector<RefundRow>> refunds;
};

struct Rejected {
  std::size_t index = 0;
  std::vector<std::string> errors;
};

template <typename Row>
struct Batch {
  std::vector<std::size_t> indexes;  ///< position in the request of each accepted row
  std::vector<Row> rows;
  std::vector<Rejected> rejected;
};

/// The body is `{"rows": [...]}` or a bare array. Throws Error{invalid_argument} when it is not
/// JSON of that shape, Error{payload_too_large} above kMaxRows rows. Bad rows are not errors:
/// they come back in `rejected` with every reason, and the others are accepted.
Batch<SpendRow> parse_spend_batch(std::string_view body);
Batch<OrderRow> parse_order_batch(std::string_view body);

/// The utm_* parameters and ad click ids (fbclid, gclid, ttclid) of a landing URL or path
/// ("/?utm_source=facebook&fbclid=..."), percent-decoded; the first occurrence of each wins.
struct Utm {
  std::optional<std::string> source, medium, campaign, content, term;
  std::optional<std::string> fbclid, gclid, ttclid;
};
Utm parse_utm(std::string_view landing_site);

/// Validators shared with connectors.
bool is_iso_date(std::string_view s);
bool is_rfc3339(std::string_view s);
/// "meta" | "facebook" | "facebook_ads" -> "facebook_ads", and so on; nullopt when unknown.
std::optional<std::string> ad_platform(std::string_view name);

/// A re-pulled date range of one ad account: what the provider reported for it, as
/// (campaign id, YYYY-MM-DD) pairs.
struct SpendWindow {
  std::string platform;
  std::string ad_account_id;
  std::string from;  ///< first day, inclusive
  std::string to;    ///< last day, inclusive
  std::vector<std::pair<std::string, std::string>> reported;
  /// False when nothing of the window was stored when its pull began (a backfill): its rows were
  /// inserted as new, and there is nothing the provider could have stopped reporting.
  bool stored_before = true;
};

}  // namespace otq::schemas::ingest
