// Batch upserts: a batch is copied (COPY, text format) into session-local staging tables, then
// merged into the real tables by one set-based statement per table, whatever the batch's size.
// COPY costs PostgreSQL about 1.5 µs a row where parsing the same batch as one JSON document cost
// 7 µs, and the worker writes the rows as text instead of building and printing a JSON tree
// (docs/benchmarks.md, "Connector syncs").
#include "app/models/ingest.hpp"

#include <algorithm>
#include <set>
#include <string>
#include <tuple>
#include <utility>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "app/security/random.hpp"

namespace otq::models::ingest {
namespace {

using nlohmann::json;
using schemas::ingest::OrderRow;
using schemas::ingest::SpendRow;

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

/// An optional text as COPY sees it: the value, or NULL.
const char* nullable(const std::optional<std::string>& v) {
  return v ? v->c_str() : nullptr;
}

// Staging tables live as long as the session and are emptied at every commit, so a batch costs no
// catalog change (a table created and dropped per batch would churn pg_class and pg_attribute).
struct Stage {
  const char* name;
  const char* columns;  ///< "name type, ..."
};

constexpr Stage kStageSpend{"otq_stage_spend",
                            "platform text, ad_account_id text, campaign_id text, date date, campaign_name text, "
                            "currency text, spend bigint, impressions bigint, clicks bigint, conversions numeric, "
                            "conversion_value bigint"};
constexpr Stage kStageOrders{
    "otq_stage_orders",
    "i int, public_id text, platform text, external_id text, order_number text, customer text, email text, "
    "placed_at timestamptz, updated_at timestamptz, currency text, total bigint, subtotal bigint, discounts bigint, "
    "shipping bigint, tax bigint, financial_status text, fulfillment_status text, cancelled_at timestamptz, "
    "test boolean, source_name text, landing_site text, referring_site text, utm_source text, utm_medium text, "
    "utm_campaign text, utm_content text, utm_term text, fbclid text, gclid text, ttclid text, "
    "presentment_currency text, line_items_count integer, lists_refunds boolean"};
constexpr Stage kStageCustomers{"otq_stage_customers",
                                "i int, platform text, external_id text, email text, first_name text, last_name text"};
constexpr Stage kStageRefunds{"otq_stage_refunds",
                              "i int, platform text, order_id text, external_id text, created_at timestamptz, "
                              "amount bigint, reason text"};

/// The column names of a stage, for COPY.
std::vector<std::string> column_names(const Stage& stage) {
  std::vector<std::string> names;
  const std::string_view columns = stage.columns;
  std::size_t start = 0;
  while (start < columns.size()) {
    auto end = columns.find(',', start);
    if (end == std::string_view::npos) end = columns.size();
    const auto column = columns.substr(start, end - start);
    const auto first = column.find_first_not_of(' ');
    names.emplace_back(column.substr(first, column.find(' ', first) - first));
    start = end + 1;
  }
  return names;
}

/// An empty staging table, created on the session's first batch.
void open_stage(pqxx::transaction_base& tx, const Stage& stage) {
  if (tx.exec1(fmt::format("SELECT to_regclass('pg_temp.{}') IS NULL", stage.name))[0].as<bool>()) {
    tx.exec0(fmt::format("CREATE TEMP TABLE {} ({}) ON COMMIT DELETE ROWS", stage.name, stage.columns));
  } else {
    tx.exec0(fmt::format("DELETE FROM {}", stage.name));  // an earlier batch of this transaction
  }
}

/// Copies rows into an emptied stage; `emit(stream)` writes them with `stream << std::tie(...)`.
template <typename Emit>
void copy_into(pqxx::transaction_base& tx, const Stage& stage, Emit emit) {
  open_stage(tx, stage);
  pqxx::stream_to stream(tx, stage.name, column_names(stage));
  emit(stream);
  stream.complete();
}

constexpr const char* kUpsertSpend = R"SQL(
INSERT INTO ad_spend AS s (account_id, platform, ad_account_id, campaign_id, date, campaign_name, currency,
                           spend_minor, impressions, clicks, conversions, conversion_value_minor, integration_id)
SELECT $1, r.platform, r.ad_account_id, r.campaign_id, r.date, coalesce(r.campaign_name, ''), r.currency,
       r.spend, r.impressions, r.clicks, r.conversions, r.conversion_value, $2::bigint
  FROM otq_stage_spend r
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

// A batch's rows are matched to stored ones one index probe per row (LATERAL ... OFFSET 0 keeps
// the probe as written). Joined as sets, the planner hashed every stored order of the account
// whenever its statistics lagged behind a backfill (a new account's are always behind): each batch
// read all earlier ones, and a 100,000-order sync slowed down batch after batch.
//
// The batch's orders that are stored already...
constexpr const char* kFindStoredOrders = R"SQL(
SELECT o.id
  FROM otq_stage_orders r
  CROSS JOIN LATERAL (SELECT o.id FROM orders o
                       WHERE o.account_id = $1 AND o.platform = r.platform AND o.external_id = r.external_id
                      OFFSET 0) o
)SQL";

// ...locked in id order (no deadlock between two batches), each flagged stale when it is newer than
// the row: a late retry or an out-of-order delivery. The lock holds until commit, so a webhook and a
// poll writing one order at once are judged one after the other against what the first committed.
constexpr const char* kLockOrders = R"SQL(
SELECT r.i, (r.updated_at IS NOT NULL AND o.updated_at_source IS NOT NULL AND o.updated_at_source > r.updated_at)
  FROM orders o
  JOIN otq_stage_orders r ON r.platform = o.platform AND r.external_id = o.external_id
 WHERE o.account_id = $1 AND o.id = ANY ($2::bigint[])
 ORDER BY o.id
   FOR UPDATE OF o
)SQL";

constexpr const char* kUpsertCustomers = R"SQL(
INSERT INTO customers AS c (account_id, platform, external_id, email, first_name, last_name)
SELECT DISTINCT ON (r.platform, r.external_id) $1, r.platform, r.external_id, r.email, r.first_name, r.last_name
  FROM otq_stage_customers r
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
SELECT $1, r.public_id, r.platform, r.external_id, $2::bigint, r.order_number, c.id, r.email, r.placed_at,
       r.updated_at, r.currency, r.total, r.subtotal, r.discounts, r.shipping, r.tax, r.financial_status,
       r.fulfillment_status, r.cancelled_at, r.test, r.source_name, r.landing_site, r.referring_site, r.utm_source,
       r.utm_medium, r.utm_campaign, r.utm_content, r.utm_term, r.fbclid, r.gclid, r.ttclid,
       r.presentment_currency, r.line_items_count
  FROM otq_stage_orders r
  LEFT JOIN LATERAL (SELECT c.id FROM customers c
                      WHERE c.account_id = $1 AND c.platform = r.platform AND c.external_id = r.customer
                     OFFSET 0) c ON true
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
 WHERE f.account_id = $1 AND f.id IN (
   SELECT x.id
     FROM otq_stage_orders r
     CROSS JOIN LATERAL (SELECT o.id FROM orders o
                          WHERE o.account_id = $1 AND o.platform = r.platform AND o.external_id = r.external_id
                         OFFSET 0) o
     CROSS JOIN LATERAL (SELECT x.id, x.external_id FROM order_refunds x
                          WHERE x.account_id = $1 AND x.order_id = o.id OFFSET 0) x
    WHERE r.lists_refunds
      AND NOT EXISTS (SELECT 1 FROM otq_stage_refunds s WHERE s.i = r.i AND s.external_id = x.external_id))
)SQL";

// ...and the listed ones are upserted, in the order's currency.
constexpr const char* kUpsertRefunds = R"SQL(
INSERT INTO order_refunds AS f (account_id, order_id, platform, external_id, refunded_at, currency, amount_minor,
                                reason)
SELECT $1, o.id, r.platform, r.external_id, r.created_at, o.currency, r.amount, r.reason
  FROM otq_stage_refunds r
  CROSS JOIN LATERAL (SELECT o.id, o.currency FROM orders o
                       WHERE o.account_id = $1 AND o.platform = r.platform AND o.external_id = r.order_id
                      OFFSET 0) o
ON CONFLICT (account_id, platform, external_id) DO UPDATE SET
  order_id = EXCLUDED.order_id, refunded_at = EXCLUDED.refunded_at, currency = EXCLUDED.currency,
  amount_minor = EXCLUDED.amount_minor, reason = EXCLUDED.reason
WHERE (f.order_id, f.refunded_at, f.currency, f.amount_minor, f.reason) IS DISTINCT FROM
      (EXCLUDED.order_id, EXCLUDED.refunded_at, EXCLUDED.currency, EXCLUDED.amount_minor, EXCLUDED.reason)
)SQL";

}  // namespace

namespace {

// A batch may name one key twice (overlapping pages, a client's retry inside one request): the
// last occurrence is the provider's latest word, and an earlier one would make the upsert touch a
// row twice in one statement, which PostgreSQL refuses. True for the rows a later one replaces.
template <typename Row, typename Key>
std::vector<bool> superseded(const std::vector<Row>& rows, Key key) {
  std::vector<bool> out(rows.size(), false);
  std::set<decltype(key(rows.front()))> seen;
  for (std::size_t i = rows.size(); i-- > 0;) {
    if (!seen.insert(key(rows[i])).second) out[i] = true;
  }
  return out;
}

// Stages the batch: what both spend writes start with.
void stage_spend(pqxx::transaction_base& tx, const std::vector<SpendRow>& rows) {
  const auto skip =
      superseded(rows, [](const SpendRow& r) { return std::tie(r.platform, r.ad_account_id, r.campaign_id, r.date); });
  copy_into(tx, kStageSpend, [&](pqxx::stream_to& stream) {
    for (std::size_t i = 0; i < rows.size(); ++i) {
      if (skip[i]) continue;
      const SpendRow& r = rows[i];
      stream << std::forward_as_tuple(r.platform, r.ad_account_id, r.campaign_id, r.date, nullable(r.campaign_name),
                                      r.currency, r.spend, r.impressions, r.clicks, r.conversions, r.conversion_value);
    }
  });
}

constexpr const char* kInsertNewSpend = R"SQL(
INSERT INTO ad_spend (account_id, platform, ad_account_id, campaign_id, date, campaign_name, currency, spend_minor,
                      impressions, clicks, conversions, conversion_value_minor, integration_id)
SELECT $1, r.platform, r.ad_account_id, r.campaign_id, r.date, coalesce(r.campaign_name, ''), r.currency,
       r.spend, r.impressions, r.clicks, r.conversions, r.conversion_value, $2::bigint
  FROM otq_stage_spend r
)SQL";

// What a plain insert of the staged rows adds to the rollups: exactly their sums, so the insert
// runs with the rollup triggers deferred and this statement replaces their recomputation of every
// touched day from ad_spend (ADR 0005; the same figures, without reading the days back).
constexpr const char* kAddNewSpendToRollups = R"SQL(
INSERT INTO rollup_spend_daily AS d (account_id, day, platform, currency, spend_minor, impressions, clicks,
                                     conversions, conversion_value_minor)
SELECT $1, r.date, r.platform, r.currency, sum(r.spend), sum(r.impressions), sum(r.clicks), sum(r.conversions),
       sum(r.conversion_value)
  FROM otq_stage_spend r
 GROUP BY r.date, r.platform, r.currency
ON CONFLICT (account_id, day, platform, currency) DO UPDATE SET
  spend_minor = d.spend_minor + EXCLUDED.spend_minor, impressions = d.impressions + EXCLUDED.impressions,
  clicks = d.clicks + EXCLUDED.clicks, conversions = d.conversions + EXCLUDED.conversions,
  conversion_value_minor = d.conversion_value_minor + EXCLUDED.conversion_value_minor
)SQL";

}  // namespace

WriteCounts upsert_spend(pqxx::transaction_base& tx, const AccountScope& scope, const std::vector<SpendRow>& rows,
                         std::optional<std::int64_t> integration_id) {
  WriteCounts out;
  if (rows.empty()) return out;
  stage_spend(tx, rows);
  tx.exec_params("SELECT otq_lock_rollups_for_write($1)", scope.account_id());  // ADR 0005
  count(tx.exec_params(kUpsertSpend, scope.account_id(), integration_id), rows.size(), out);
  return out;
}

WriteCounts insert_new_spend(pqxx::transaction_base& tx, const AccountScope& scope, const std::vector<SpendRow>& rows,
                             std::optional<std::int64_t> integration_id) {
  WriteCounts out;
  if (rows.empty()) return out;
  stage_spend(tx, rows);
  // A caller that defers the rollups (a bulk load) rebuilds them itself: nothing to add then.
  const bool deferred =
      tx.exec1("SELECT current_setting('otq.defer_rollups', true) IS NOT DISTINCT FROM 'on'")[0].as<bool>();
  if (!deferred) tx.exec("SELECT set_config('otq.defer_rollups', 'on', true)");
  out.inserted =
      static_cast<std::int64_t>(tx.exec_params(kInsertNewSpend, scope.account_id(), integration_id).affected_rows());
  if (!deferred) {
    tx.exec("SELECT set_config('otq.defer_rollups', 'off', true)");
    // The rollup lock is taken after the insert, not before it as the upserts take it: two batches
    // of new rows insert at the same time and queue only for this step. (An insert waits only for
    // another transaction's uncommitted row of one of its keys, then fails and the caller upserts;
    // two such waits crossing each other are a deadlock PostgreSQL breaks, and the sync retries.)
    tx.exec_params("SELECT otq_lock_rollups($1)", scope.account_id());  // and bumps the cache version
    tx.exec_params(kAddNewSpendToRollups, scope.account_id());
  }
  return out;
}

bool spend_stored(pqxx::transaction_base& tx, const AccountScope& scope, const std::string& platform,
                  const std::string& ad_account_id, const std::string& from, const std::string& to) {
  return tx
      .exec_params1(
          "SELECT EXISTS (SELECT 1 FROM ad_spend WHERE account_id = $1 AND date BETWEEN $4::date AND "
          "$5::date AND platform = $2 AND ad_account_id = $3)",
          scope.account_id(), platform, ad_account_id, from, to)[0]
      .as<bool>();
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

  // Staging reads and writes nothing shared: it runs before the account's rollup lock, so a second
  // batch copies its rows while the first one holds the lock.
  bool any_customer = false;
  bool any_refund = false;
  const auto skip = superseded(rows, [](const OrderRow& r) { return std::tie(r.platform, r.external_id); });
  const auto repeated = static_cast<std::int64_t>(std::count(skip.begin(), skip.end(), true));
  out.unchanged += repeated;
  copy_into(tx, kStageOrders, [&](pqxx::stream_to& stream) {
    for (std::size_t i = 0; i < rows.size(); ++i) {
      if (skip[i]) continue;
      const OrderRow& r = rows[i];
      const std::string line_items = r.line_items_count ? std::to_string(*r.line_items_count) : std::string();
      stream << std::forward_as_tuple(
          i, security::new_public_id("ord"), r.platform, r.external_id, nullable(r.order_number),
          r.customer ? r.customer->external_id.c_str() : nullptr, r.customer ? nullable(r.customer->email) : nullptr,
          r.placed_at, nullable(r.updated_at), r.currency, r.total, r.subtotal, r.discounts, r.shipping, r.tax,
          nullable(r.financial_status), nullable(r.fulfillment_status), nullable(r.cancelled_at), r.test,
          nullable(r.source_name), nullable(r.landing_site), nullable(r.referring_site), nullable(r.utm_source),
          nullable(r.utm_medium), nullable(r.utm_campaign), nullable(r.utm_content), nullable(r.utm_term),
          nullable(r.fbclid), nullable(r.gclid), nullable(r.ttclid), nullable(r.presentment_currency),
          r.line_items_count ? line_items.c_str() : nullptr, r.refunds.has_value());
      any_customer = any_customer || r.customer.has_value();
      any_refund = any_refund || (r.refunds && !r.refunds->empty());
    }
  });
  // Both stages are filled (or emptied) on every batch, so no statement reads an earlier batch's rows.
  copy_into(tx, kStageCustomers, [&](pqxx::stream_to& stream) {
    for (std::size_t i = 0; i < rows.size(); ++i) {
      if (skip[i] || !rows[i].customer) continue;
      const auto& c = *rows[i].customer;
      stream << std::forward_as_tuple(i, rows[i].platform, c.external_id, nullable(c.email), nullable(c.first_name),
                                      nullable(c.last_name));
    }
  });
  copy_into(tx, kStageRefunds, [&](pqxx::stream_to& stream) {
    for (std::size_t i = 0; i < rows.size(); ++i) {
      if (skip[i] || !rows[i].refunds) continue;
      for (const auto& f : *rows[i].refunds) {
        stream << std::forward_as_tuple(i, rows[i].platform, rows[i].external_id, f.external_id, f.created_at, f.amount,
                                        nullable(f.reason));
      }
    }
  });

  // From here on rows are read and locked: the rollup lock first (ADR 0005). Every batch writer
  // takes it before reading, so what is found stored here cannot change until this batch commits.
  tx.exec_params("SELECT otq_lock_rollups_for_write($1)", account);
  std::string stored = "{";
  for (const auto& r : tx.exec_params(kFindStoredOrders, account)) {
    stored += (stored.size() > 1 ? "," : "") + r[0].as<std::string>();
  }
  stored += "}";
  // Rows older than what is stored are dropped from the stages before anything is written.
  std::vector<std::size_t> stale;
  if (stored.size() > 2) {
    for (const auto& r : tx.exec_params(kLockOrders, account, stored)) {
      if (r[1].as<bool>()) stale.push_back(r[0].as<std::size_t>());
    }
  }
  out.unchanged += static_cast<std::int64_t>(stale.size());
  const std::size_t staged = rows.size() - static_cast<std::size_t>(repeated);
  if (stale.size() == staged) return out;
  if (!stale.empty()) {
    std::string list = "{";
    for (const auto i : stale) list += (list.size() > 1 ? "," : "") + std::to_string(i);
    list += "}";
    for (const char* stage : {kStageOrders.name, kStageCustomers.name, kStageRefunds.name}) {
      tx.exec_params(fmt::format("DELETE FROM {} WHERE i = ANY($1::int[])", stage), list);
    }
  }
  if (any_customer) tx.exec_params(kUpsertCustomers, account);
  const auto inserted_before = out.inserted;
  count(tx.exec_params(kUpsertOrders, account, integration_id), staged - stale.size(), out);
  // Only an order that was stored before can have stored refunds its row no longer lists; when
  // every row was inserted (a backfill's batches), there is nothing to look for.
  if (std::cmp_not_equal(out.inserted - inserted_before, staged - stale.size())) {
    tx.exec_params(kDeleteUnlistedRefunds, account);
  }
  if (any_refund) tx.exec_params(kUpsertRefunds, account);
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
