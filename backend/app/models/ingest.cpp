// Batch upserts through jsonb_to_recordset: one statement per table per batch, whatever its size.
#include "app/models/ingest.hpp"

#include <set>
#include <string>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "app/security/random.hpp"

namespace otq::models::ingest {
namespace {

using nlohmann::json;
using schemas::ingest::OrderRow;
using schemas::ingest::SpendRow;

json opt(const std::optional<std::string>& v) {
  return v ? json(*v) : json(nullptr);
}

void count(const pqxx::result& r, std::size_t total, WriteCounts& out) {
  for (const auto& row : r) {
    if (row[0].as<bool>()) {
      ++out.inserted;
    } else {
      ++out.updated;
    }
  }
  out.unchanged += static_cast<std::int64_t>(total) - static_cast<std::int64_t>(r.size());
}

constexpr const char* kUpsertSpend = R"SQL(
INSERT INTO ad_spend AS s (account_id, platform, ad_account_id, campaign_id, date, campaign_name, currency,
                           spend_minor, impressions, clicks, conversions, conversion_value_minor, integration_id)
SELECT $1, r.platform, r.ad_account_id, r.campaign_id, r.date, coalesce(r.campaign_name, ''), r.currency,
       r.spend, r.impressions, r.clicks, r.conversions, r.conversion_value, $3::bigint
  FROM jsonb_to_recordset($2::jsonb) AS r(platform text, ad_account_id text, campaign_id text, date date,
       campaign_name text, currency char(3), spend bigint, impressions bigint, clicks bigint, conversions numeric,
       conversion_value bigint)
ON CONFLICT (account_id, platform, ad_account_id, campaign_id, date) DO UPDATE SET
  -- a row without a name keeps the stored one; a rename updates it
  campaign_name = CASE WHEN EXCLUDED.campaign_name = '' THEN s.campaign_name ELSE EXCLUDED.campaign_name END,
  currency = EXCLUDED.currency, spend_minor = EXCLUDED.spend_minor, impressions = EXCLUDED.impressions,
  clicks = EXCLUDED.clicks, conversions = EXCLUDED.conversions,
  conversion_value_minor = EXCLUDED.conversion_value_minor,
  integration_id = coalesce(EXCLUDED.integration_id, s.integration_id), synced_at = now()
WHERE (s.campaign_name, s.currency, s.spend_minor, s.impressions, s.clicks, s.conversions, s.conversion_value_minor)
      IS DISTINCT FROM
      (CASE WHEN EXCLUDED.campaign_name = '' THEN s.campaign_name ELSE EXCLUDED.campaign_name END, EXCLUDED.currency,
       EXCLUDED.spend_minor, EXCLUDED.impressions, EXCLUDED.clicks, EXCLUDED.conversions,
       EXCLUDED.conversion_value_minor)
RETURNING (s.xmax = 0) AS inserted
)SQL";

// The stored orders of the batch, locked in id order (no deadlock between two batches), each
// flagged stale when it is newer than the row: a late retry or an out-of-order delivery. The lock
// holds until commit, so a webhook and a poll writing one order at once are judged one after the
// other against what the first committed.
constexpr const char* kLockOrders = R"SQL(
SELECT r.i, (r.updated_at IS NOT NULL AND o.updated_at_source IS NOT NULL AND o.updated_at_source > r.updated_at)
  FROM jsonb_to_recordset($2::jsonb) AS r(i int, platform text, external_id text, updated_at timestamptz)
  JOIN orders o ON o.account_id = $1 AND o.platform = r.platform AND o.external_id = r.external_id
 ORDER BY o.id
   FOR UPDATE OF o
)SQL";

constexpr const char* kUpsertCustomers = R"SQL(
INSERT INTO customers AS c (account_id, platform, external_id, email, first_name, last_name)
SELECT DISTINCT ON (r.platform, r.external_id) $1, r.platform, r.external_id, r.email, r.first_name, r.last_name
  FROM jsonb_to_recordset($2::jsonb) AS r(i int, platform text, external_id text, email text, first_name text,
       last_name text)
 ORDER BY r.platform, r.external_id, r.i DESC
ON CONFLICT (account_id, platform, external_id) DO UPDATE SET
  email = coalesce(EXCLUDED.email, c.email), first_name = coalesce(EXCLUDED.first_name, c.first_name),
  last_name = coalesce(EXCLUDED.last_name, c.last_name)
WHERE (c.email, c.first_name, c.last_name) IS DISTINCT FROM
      (coalesce(EXCLUDED.email, c.email), coalesce(EXCLUDED.first_name, c.first_name),
       coalesce(EXCLUDED.last_name, c.last_name))
)SQL";

constexpr const char* kUpsertOrders = R"SQL(
INSERT INTO orders AS o (account_id, public_id, platform, external_id, integration_id, order_number, customer_id,
                         email, placed_at, updated_at_source, currency, total_minor, subtotal_minor, discounts_minor,
                         shipping_minor, tax_minor, financial_status, fulfillment_status, cancelled_at, is_test,
                         source_name, landing_site, referring_site, utm_source, utm_medium, utm_campaign,
                         utm_content, utm_term, fbclid, gclid, ttclid, presentment_currency, line_items_count)
SELECT $1, r.public_id, r.platform, r.external_id, $3::bigint, r.order_number, c.id, r.email, r.placed_at,
       r.updated_at, r.currency, r.total, r.subtotal, r.discounts, r.shipping, r.tax, r.financial_status,
       r.fulfillment_status, r.cancelled_at, r.test, r.source_name, r.landing_site, r.referring_site, r.utm_source,
       r.utm_medium, r.utm_campaign, r.utm_content, r.utm_term, r.fbclid, r.gclid, r.ttclid,
       r.presentment_currency, r.line_items_count
  FROM jsonb_to_recordset($2::jsonb) AS r(public_id text, platform text, external_id text, order_number text,
       customer text, email text, placed_at timestamptz, updated_at timestamptz, currency char(3), total bigint,
       subtotal bigint, discounts bigint, shipping bigint, tax bigint, financial_status text,
       fulfillment_status text, cancelled_at timestamptz, test boolean, source_name text, landing_site text,
       referring_site text, utm_source text, utm_medium text, utm_campaign text, utm_content text, utm_term text,
       fbclid text, gclid text, ttclid text, presentment_currency char(3), line_items_count integer)
  LEFT JOIN customers c ON c.account_id = $1 AND c.platform = r.platform AND c.external_id = r.customer
ON CONFLICT (account_id, platform, external_id) DO UPDATE SET
  integration_id = coalesce(EXCLUDED.integration_id, o.integration_id), order_number = EXCLUDED.order_number,
  customer_id = EXCLUDED.customer_id, email = EXCLUDED.email, placed_at = EXCLUDED.placed_at,
  updated_at_source = EXCLUDED.updated_at_source, currency = EXCLUDED.currency, total_minor = EXCLUDED.total_minor,
  subtotal_minor = EXCLUDED.subtotal_minor, discounts_minor = EXCLUDED.discounts_minor,
  shipping_minor = EXCLUDED.shipping_minor, tax_minor = EXCLUDED.tax_minor,
  financial_status = EXCLUDED.financial_status, fulfillment_status = EXCLUDED.fulfillment_status,
  cancelled_at = EXCLUDED.cancelled_at, is_test = EXCLUDED.is_test, source_name = EXCLUDED.source_name,
  landing_site = EXCLUDED.landing_site, referring_site = EXCLUDED.referring_site,
  utm_source = EXCLUDED.utm_source, utm_medium = EXCLUDED.utm_medium, utm_campaign = EXCLUDED.utm_campaign,
  utm_content = EXCLUDED.utm_content, utm_term = EXCLUDED.utm_term, fbclid = EXCLUDED.fbclid,
  gclid = EXCLUDED.gclid, ttclid = EXCLUDED.ttclid, presentment_currency = EXCLUDED.presentment_currency,
  line_items_count = EXCLUDED.line_items_count
-- Checked on the locked, latest version of the row: of two writers racing (a webhook and a poll),
-- the older data never overwrites the newer, whichever commits last.
WHERE (o.updated_at_source IS NULL OR EXCLUDED.updated_at_source IS NULL
       OR EXCLUDED.updated_at_source >= o.updated_at_source)
  AND (o.order_number, o.customer_id, o.email, o.placed_at, o.updated_at_source, o.currency, o.total_minor,
       o.subtotal_minor, o.discounts_minor, o.shipping_minor, o.tax_minor, o.financial_status, o.fulfillment_status,
       o.cancelled_at, o.is_test, o.source_name, o.landing_site, o.referring_site, o.utm_source, o.utm_medium,
       o.utm_campaign, o.utm_content, o.utm_term, o.fbclid, o.gclid, o.ttclid, o.presentment_currency,
       o.line_items_count)
      IS DISTINCT FROM
      (EXCLUDED.order_number, EXCLUDED.customer_id, EXCLUDED.email, EXCLUDED.placed_at, EXCLUDED.updated_at_source,
       EXCLUDED.currency, EXCLUDED.total_minor, EXCLUDED.subtotal_minor, EXCLUDED.discounts_minor,
       EXCLUDED.shipping_minor, EXCLUDED.tax_minor, EXCLUDED.financial_status, EXCLUDED.fulfillment_status,
       EXCLUDED.cancelled_at, EXCLUDED.is_test, EXCLUDED.source_name, EXCLUDED.landing_site,
       EXCLUDED.referring_site, EXCLUDED.utm_source, EXCLUDED.utm_medium, EXCLUDED.utm_campaign,
       EXCLUDED.utm_content, EXCLUDED.utm_term, EXCLUDED.fbclid, EXCLUDED.gclid, EXCLUDED.ttclid,
       EXCLUDED.presentment_currency, EXCLUDED.line_items_count)
RETURNING (o.xmax = 0) AS inserted
)SQL";

// Refunds of the orders whose row lists them: the stored ones no longer listed go...
constexpr const char* kDeleteUnlistedRefunds = R"SQL(
DELETE FROM order_refunds f
 USING orders o, jsonb_to_recordset($2::jsonb) AS r(platform text, external_id text, refund_ids jsonb)
 WHERE o.account_id = $1 AND o.platform = r.platform AND o.external_id = r.external_id
   AND f.account_id = $1 AND f.order_id = o.id AND NOT (r.refund_ids ? f.external_id)
)SQL";

// ...and the listed ones are upserted, in the order's currency.
constexpr const char* kUpsertRefunds = R"SQL(
INSERT INTO order_refunds AS f (account_id, order_id, platform, external_id, refunded_at, currency, amount_minor,
                                reason)
SELECT $1, o.id, r.platform, r.external_id, r.created_at, o.currency, r.amount, r.reason
  FROM jsonb_to_recordset($2::jsonb) AS r(platform text, order_id text, external_id text, created_at timestamptz,
       amount bigint, reason text)
  JOIN orders o ON o.account_id = $1 AND o.platform = r.platform AND o.external_id = r.order_id
ON CONFLICT (account_id, platform, external_id) DO UPDATE SET
  order_id = EXCLUDED.order_id, refunded_at = EXCLUDED.refunded_at, currency = EXCLUDED.currency,
  amount_minor = EXCLUDED.amount_minor, reason = EXCLUDED.reason
WHERE (f.order_id, f.refunded_at, f.currency, f.amount_minor, f.reason) IS DISTINCT FROM
      (EXCLUDED.order_id, EXCLUDED.refunded_at, EXCLUDED.currency, EXCLUDED.amount_minor, EXCLUDED.reason)
)SQL";

// First order and order count of the batch's customers, for new-versus-returning.
constexpr const char* kCustomerStats = R"SQL(
UPDATE customers c SET first_order_at = s.first_at, orders_count = s.n
  FROM (SELECT cu.id,
               min(o.placed_at) FILTER (WHERE o.cancelled_at IS NULL AND NOT o.is_test) AS first_at,
               count(o.id) FILTER (WHERE o.cancelled_at IS NULL AND NOT o.is_test)::int AS n
          FROM (SELECT DISTINCT r.platform, r.external_id
                  FROM jsonb_to_recordset($2::jsonb) AS r(platform text, external_id text)) r
          JOIN customers cu ON cu.account_id = $1 AND cu.platform = r.platform AND cu.external_id = r.external_id
          LEFT JOIN orders o ON o.account_id = $1 AND o.customer_id = cu.id
         GROUP BY cu.id) s
 WHERE c.account_id = $1 AND c.id = s.id AND (c.first_order_at, c.orders_count) IS DISTINCT FROM (s.first_at, s.n)
)SQL";

}  // namespace

WriteCounts upsert_spend(pqxx::transaction_base& tx, const AccountScope& scope, const std::vector<SpendRow>& rows,
                         std::optional<std::int64_t> integration_id) {
  WriteCounts out;
  if (rows.empty()) return out;
  json data = json::array();
  for (const auto& r : rows) {
    data.push_back({{"platform", r.platform},
                    {"ad_account_id", r.ad_account_id},
                    {"campaign_id", r.campaign_id},
                    {"date", r.date},
                    {"campaign_name", opt(r.campaign_name)},
                    {"currency", r.currency},
                    {"spend", r.spend},
                    {"impressions", r.impressions},
                    {"clicks", r.clicks},
                    {"conversions", json::parse(r.conversions)},
                    {"conversion_value", r.conversion_value}});
  }
  tx.exec_params("SELECT otq_lock_rollups_for_write($1)", scope.account_id());
  count(tx.exec_params(kUpsertSpend, scope.account_id(), data.dump(), integration_id), rows.size(), out);
  return out;
}

constexpr const char* kDeleteUnreportedSpend = R"SQL(
DELETE FROM ad_spend s
 WHERE s.account_id = $1 AND s.platform = $2 AND s.ad_account_id = $3 AND s.date BETWEEN $4::date AND $5::date
   -- NOT IN over a subquery is a hashed SubPlan: one probe per stored row. (NOT EXISTS became a
   -- nested loop over the unanalysable function scan: rows x reported pairs, seconds per window.)
   AND (s.campaign_id, s.date) NOT IN (SELECT r.campaign_id, r.date
                                         FROM jsonb_to_recordset($6::jsonb) AS r(campaign_id text, date date))
)SQL";

std::int64_t delete_unreported_spend(pqxx::transaction_base& tx, const AccountScope& scope,
                                     const schemas::ingest::SpendWindow& window) {
  json reported = json::array();
  for (const auto& [campaign, date] : window.reported) reported.push_back({{"campaign_id", campaign}, {"date", date}});
  tx.exec_params("SELECT otq_lock_rollups_for_write($1)", scope.account_id());
  return tx
      .exec_params(kDeleteUnreportedSpend, scope.account_id(), window.platform, window.ad_account_id, window.from,
                   window.to, reported.dump())
      .affected_rows();
}

WriteCounts upsert_orders(pqxx::transaction_base& tx, const AccountScope& scope, const std::vector<OrderRow>& rows,
                          std::optional<std::int64_t> integration_id) {
  WriteCounts out;
  if (rows.empty()) return out;
  const auto account = scope.account_id();
  tx.exec_params("SELECT otq_lock_rollups_for_write($1)", account);

  json keys = json::array();
  for (std::size_t i = 0; i < rows.size(); ++i) {
    keys.push_back({{"i", i},
                    {"platform", rows[i].platform},
                    {"external_id", rows[i].external_id},
                    {"updated_at", opt(rows[i].updated_at)}});
  }
  std::set<std::size_t> stale;
  for (const auto& r : tx.exec_params(kLockOrders, account, keys.dump())) {
    if (r[1].as<bool>()) stale.insert(r[0].as<std::size_t>());
  }
  out.unchanged += static_cast<std::int64_t>(stale.size());

  json customers = json::array();
  json orders = json::array();
  json refund_lists = json::array();
  json refunds = json::array();
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (stale.contains(i)) continue;
    const OrderRow& r = rows[i];
    std::optional<std::string> email;
    if (r.customer) {
      customers.push_back({{"i", i},
                           {"platform", r.platform},
                           {"external_id", r.customer->external_id},
                           {"email", opt(r.customer->email)},
                           {"first_name", opt(r.customer->first_name)},
                           {"last_name", opt(r.customer->last_name)}});
      email = r.customer->email;
    }
    orders.push_back({{"public_id", security::new_public_id("ord")},
                      {"platform", r.platform},
                      {"external_id", r.external_id},
                      {"order_number", opt(r.order_number)},
                      {"customer", r.customer ? json(r.customer->external_id) : json(nullptr)},
                      {"email", opt(email)},
                      {"placed_at", r.placed_at},
                      {"updated_at", opt(r.updated_at)},
                      {"currency", r.currency},
                      {"total", r.total},
                      {"subtotal", r.subtotal},
                      {"discounts", r.discounts},
                      {"shipping", r.shipping},
                      {"tax", r.tax},
                      {"financial_status", opt(r.financial_status)},
                      {"fulfillment_status", opt(r.fulfillment_status)},
                      {"cancelled_at", opt(r.cancelled_at)},
                      {"test", r.test},
                      {"source_name", opt(r.source_name)},
                      {"landing_site", opt(r.landing_site)},
                      {"referring_site", opt(r.referring_site)},
                      {"utm_source", opt(r.utm_source)},
                      {"utm_medium", opt(r.utm_medium)},
                      {"utm_campaign", opt(r.utm_campaign)},
                      {"utm_content", opt(r.utm_content)},
                      {"utm_term", opt(r.utm_term)},
                      {"fbclid", opt(r.fbclid)},
                      {"gclid", opt(r.gclid)},
                      {"ttclid", opt(r.ttclid)},
                      {"presentment_currency", opt(r.presentment_currency)},
                      {"line_items_count", r.line_items_count ? json(*r.line_items_count) : json(nullptr)}});
    if (r.refunds) {
      json ids = json::array();
      for (const auto& f : *r.refunds) {
        ids.push_back(f.external_id);
        refunds.push_back({{"platform", r.platform},
                           {"order_id", r.external_id},
                           {"external_id", f.external_id},
                           {"created_at", f.created_at},
                           {"amount", f.amount},
                           {"reason", opt(f.reason)}});
      }
      refund_lists.push_back({{"platform", r.platform}, {"external_id", r.external_id}, {"refund_ids", ids}});
    }
  }
  if (orders.empty()) return out;
  if (!customers.empty()) tx.exec_params(kUpsertCustomers, account, customers.dump());
  count(tx.exec_params(kUpsertOrders, account, orders.dump(), integration_id), orders.size(), out);
  if (!refund_lists.empty()) tx.exec_params(kDeleteUnlistedRefunds, account, refund_lists.dump());
  if (!refunds.empty()) tx.exec_params(kUpsertRefunds, account, refunds.dump());
  if (!customers.empty()) tx.exec_params(kCustomerStats, account, customers.dump());
  return out;
}

std::optional<std::string> order_currency(pqxx::transaction_base& tx, const AccountScope& scope,
                                          const std::string& platform, const std::string& external_id) {
  const auto rows =
      tx.exec_params("SELECT currency FROM orders WHERE account_id = $1 AND platform = $2 AND external_id = $3",
                     scope.account_id(), platform, external_id);
  if (rows.empty()) return std::nullopt;
  return rows[0][0].as<std::string>();
}

bool upsert_refund(pqxx::transaction_base& tx, const AccountScope& scope, const std::string& platform,
                   const std::string& order_external_id, const schemas::ingest::RefundRow& refund) {
  // The order row is locked, so two refunds of one order arriving at once are capped in turn.
  const auto rows = tx.exec_params(R"SQL(
WITH o AS (
  SELECT id, currency, total_minor FROM orders
   WHERE account_id = $1 AND platform = $2 AND external_id = $3 FOR UPDATE),
others AS (
  SELECT coalesce(sum(f.amount_minor), 0) AS refunded FROM order_refunds f, o
   WHERE f.account_id = $1 AND f.order_id = o.id AND f.external_id <> $4)
INSERT INTO order_refunds AS f (account_id, order_id, platform, external_id, refunded_at, currency, amount_minor,
                                reason)
SELECT $1, o.id, $2, $4, $5::timestamptz, o.currency, least($6::bigint, greatest(o.total_minor - others.refunded, 0)),
       $7
  FROM o, others
ON CONFLICT (account_id, platform, external_id) DO UPDATE SET
  order_id = EXCLUDED.order_id, refunded_at = EXCLUDED.refunded_at, currency = EXCLUDED.currency,
  amount_minor = EXCLUDED.amount_minor, reason = EXCLUDED.reason
RETURNING 1
)SQL",
                                   scope.account_id(), platform, order_external_id, refund.external_id,
                                   refund.created_at, refund.amount, refund.reason);
  return !rows.empty();  // nothing inserted or updated: no such order
}

}  // namespace otq::models::ingest
