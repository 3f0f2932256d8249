// The metrics engine: KPI summary, time series, campaigns, orders and channels of one account,
// in its reporting time zone and currency (docs/metrics.md is the contract).
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "app/db.hpp"
#include "app/models/metrics.hpp"
#include "app/schemas/billing.hpp"
#include "app/schemas/metrics.hpp"
#include "app/security/sealer.hpp"
#include "app/services/auth_service.hpp"
#include "app/services/response_cache.hpp"

namespace otq::services {

/// Receives CSV chunks; returns false once the client has gone (the producer stops then).
using ChunkWriter = std::function<bool(std::string chunk)>;

class MetricsService {
 public:
  /// `cursors` seals pagination cursors (opaque, unforgeable, bound to the account and filter);
  /// `cache_bytes` bounds the answer cache (0: off), whose keys carry the account's data versions.
  /// `plans` limits how far back an account may look (its plan's history window; 402 beyond).
  MetricsService(db::Pool& pool, const schemas::billing::Catalog& plans,
                 security::Sealer cursors = security::Sealer::with_random_key(), std::size_t cache_bytes = 0);

  /// Each returns the response's JSON object (`data` and its companions).
  nlohmann::json summary(const AuthContext& ctx, const schemas::metrics::SummaryQuery& q);
  nlohmann::json timeseries(const AuthContext& ctx, const schemas::metrics::TimeseriesQuery& q);
  nlohmann::json campaigns(const AuthContext& ctx, const schemas::metrics::CampaignsQuery& q);
  nlohmann::json orders(const AuthContext& ctx, const schemas::metrics::OrdersQuery& q);
  nlohmann::json channels(const AuthContext& ctx, const schemas::metrics::Range& range);

  /// Checks `q` (throws before anything is written), then returns a producer that writes the
  /// matching orders as CSV, reading them page by page (memory stays flat for a year of orders).
  /// An export holds a worker while it streams, so at most kMaxConcurrentExports run at once
  /// (per server); more get rate_limited with a Retry-After.
  std::function<void(const ChunkWriter&)> orders_csv(const AuthContext& ctx, const schemas::metrics::OrdersQuery& q);

 private:
  static constexpr int kMaxConcurrentExports = 2;

  models::metrics::Settings settings(const AuthContext& ctx);

  db::Pool& pool_;
  const schemas::billing::Catalog& plans_;
  security::Sealer cursors_;
  std::unique_ptr<ResponseCache> cache_;
  std::shared_ptr<std::atomic<int>> exports_running_ = std::make_shared<std::atomic<int>>(0);
};

namespace metrics_format {
/// "jane@example.com" → "j***@example.com"; what lists and exports show of a customer.
std::string mask_email(std::string_view email);
/// Minor units as a decimal string in the currency's major unit: (123456, "USD") → "1234.56".
std::string major_units(std::int64_t minor, std::string_view currency);
/// One CSV field: quoted when needed, and text that a spreadsheet would run as a formula
/// (=, +, -, @, tab, CR first) prefixed with an apostrophe.
std::string csv_field(std::string_view text);
/// Decimal places of a currency's minor unit (mirrors otq_currency_exponent in SQL).
int currency_exponent(std::string_view currency);
}  // namespace metrics_format

}  // namespace otq::services
