// SQL of the metrics engine: reads the daily rollups (migration 0003), ad_spend and orders.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <pqxx/pqxx>

#include "app/models/scope.hpp"

namespace otq::models::metrics {

/// What the rollups hold for one bucket; money in minor units of the reporting currency.
struct Totals {
  std::int64_t orders = 0;
  std::int64_t revenue = 0;
  std::int64_t new_customers = 0;
  std::optional<std::int64_t> returning_customers;  ///< not attributable to one platform: null when filtered
  std::int64_t refund_count = 0;
  std::int64_t refunds = 0;
  std::int64_t spend = 0;
  std::int64_t impressions = 0;
  std::int64_t clicks = 0;
  double conversions = 0;
  std::int64_t conversion_value = 0;
};

/// An amount in `currency` on `date` that could not be converted: no rate in fx_rates.
using MissingRate = std::pair<std::string, std::string>;  ///< (currency, YYYY-MM-DD)

struct Settings {
  std::string timezone;         ///< IANA
  std::string currency;         ///< reporting currency
  std::string today;            ///< the account's current local date
  std::int64_t version = 0;     ///< rollup_versions: changes whenever the account's rollups do
  std::int64_t fx_version = 0;  ///< fx_rates_version: changes whenever a daily rate does
  std::string plan;             ///< accounts.plan: its history window limits the ranges
};

/// Read first in a request's transaction: later statements see data at least this new.
Settings settings(pqxx::transaction_base& tx, const AccountScope& scope);

enum class Bucket { whole, day, week, month };

/// Which rollups to read (a time series of spend alone does not touch the order tables).
struct Parts {
  bool orders = true;
  bool refunds = true;
  bool spend = true;
  bool returning = true;
};

struct Filter {
  std::string from;  ///< YYYY-MM-DD, inclusive
  std::string to;    ///< YYYY-MM-DD, inclusive
  std::string currency;
  std::optional<std::string> platform;  ///< spend of that platform; orders attributed to it by UTM
  bool by_platform = false;             ///< group by platform (orders: by UTM channel)
};

struct Aggregate {
  /// (bucket start clipped to `from`, group: "all" or a platform / "unattributed") → totals.
  std::map<std::pair<std::string, std::string>, Totals> buckets;
  std::set<MissingRate> missing_rates;
};

Aggregate aggregate(pqxx::transaction_base& tx, const AccountScope& scope, const Filter& filter, Bucket bucket,
                    const Parts& parts);

struct Campaign {
  std::string platform;
  std::string campaign_id;  ///< the platform's own id
  std::string ad_account_id;
  std::string name;  ///< latest name in the range
  Totals totals;     ///< spend side only
};

struct CampaignPage {
  std::vector<Campaign> rows;
  std::int64_t total_count = 0;  ///< campaigns matching the filter
  Totals totals;                 ///< over all matching campaigns, not only this page
  std::set<MissingRate> missing_rates;
};

struct CampaignFilter {
  Filter range;
  std::optional<std::string> q;
  std::string sort;  ///< one of schemas::metrics::kCampaignSorts (checked by the caller)
  bool descending = true;
  int limit = 50;
  std::int64_t offset = 0;
};

CampaignPage campaigns(pqxx::transaction_base& tx, const AccountScope& scope, const CampaignFilter& filter);

struct Order {
  std::int64_t id = 0;  ///< internal; leaves the server only sealed in a cursor
  std::string public_id;
  std::optional<std::string> number;
  std::string placed_at;        ///< RFC 3339 UTC with microseconds (also the cursor key)
  std::string placed_at_local;  ///< RFC 3339 with the account's offset
  std::optional<std::string> email;
  std::string currency;
  std::int64_t total = 0;
  std::int64_t refunds = 0;
  std::string status;
  std::optional<std::string> financial_status;
  std::optional<std::string> fulfillment_status;
  std::optional<std::string> source_name;
  std::optional<std::string> utm_source;
  std::optional<std::string> utm_medium;
  std::optional<std::string> utm_campaign;
  std::string channel;
  std::optional<std::string> customer_type;  ///< new | returning; null without a customer or when not counted
};

struct OrderFilter {
  std::string timezone;  ///< the account's (from Settings): the planner sees the UTC bounds
  std::string from;
  std::string to;
  std::optional<std::string> status;
  std::optional<std::string> q;
  bool by_total = false;
  bool descending = true;
  /// Keyset: (placed_at or total as text, id) of the last row already returned.
  std::optional<std::pair<std::string, std::int64_t>> after;
  int limit = 50;
};

std::vector<Order> orders(pqxx::transaction_base& tx, const AccountScope& scope, const OrderFilter& filter);

/// Rebuilds every rollup of the account from raw rows (the `rollups rebuild` command).
void rebuild_rollups(pqxx::transaction_base& tx, const AccountScope& scope);

}  // namespace otq::models::metrics
