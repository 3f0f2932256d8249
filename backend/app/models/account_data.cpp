#include "app/models/account_data.hpp"

#include <array>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace otq::models::account_data {
namespace {

// `{a}` is the account's internal id (an integer from the scope, never user text).
constexpr std::array<Table, 12> kTables{{
    {"members", R"SQL(
SELECT u.public_id AS user_id, u.email, u.name, m.role, m.created_at AS joined_at
  FROM memberships m JOIN users u ON u.id = m.user_id
 WHERE m.account_id = {a} ORDER BY m.created_at, u.public_id)SQL"},
    {"invitations", R"SQL(
SELECT i.public_id AS id, i.email, i.role, u.public_id AS invited_by, i.created_at, i.expires_at, i.accepted_at,
       i.revoked_at
  FROM invitations i LEFT JOIN users u ON u.id = i.invited_by
 WHERE i.account_id = {a} ORDER BY i.created_at, i.public_id)SQL"},
    {"integrations", R"SQL(
SELECT i.public_id AS id, i.provider, i.external_account_id, i.display_name, i.status, i.settings,
       i.sync_frequency_minutes, i.paused_by_plan, i.last_synced_at, i.last_error, i.last_error_at,
       u.public_id AS connected_by, i.connected_at, i.disconnected_at, i.created_at
  FROM integrations i LEFT JOIN users u ON u.id = i.connected_by
 WHERE i.account_id = {a} ORDER BY i.created_at, i.public_id)SQL"},
    {"sync_runs", R"SQL(
SELECT r.public_id AS id, i.public_id AS integration_id, r.kind, r.status, r.window_start, r.window_end,
       r.rows_read, r.rows_written, r.error, r.queued_at, r.started_at, r.finished_at
  FROM sync_runs r JOIN integrations i ON i.account_id = r.account_id AND i.id = r.integration_id
 WHERE r.account_id = {a} ORDER BY r.queued_at, r.public_id)SQL"},
    {"ad_spend", R"SQL(
SELECT s.date, s.platform, s.ad_account_id, s.campaign_id, s.campaign_name, s.currency, s.spend_minor,
       s.impressions, s.clicks, s.conversions, s.conversion_value_minor, i.public_id AS integration_id, s.synced_at
  FROM ad_spend s LEFT JOIN integrations i ON i.account_id = s.account_id AND i.id = s.integration_id
 WHERE s.account_id = {a} ORDER BY s.date, s.platform, s.ad_account_id, s.campaign_id)SQL"},
    {"customers", R"SQL(
SELECT c.platform, c.external_id, c.email, c.first_name, c.last_name, c.created_at_source, c.created_at,
       c.updated_at
  FROM customers c
 WHERE c.account_id = {a} ORDER BY c.platform, c.external_id)SQL"},
    {"orders", R"SQL(
SELECT o.public_id AS id, o.platform, o.external_id, o.order_number, c.external_id AS customer_external_id,
       o.email, o.placed_at, o.updated_at_source, o.currency, o.total_minor, o.subtotal_minor, o.discounts_minor,
       o.shipping_minor, o.tax_minor, o.presentment_currency, o.financial_status, o.fulfillment_status,
       o.cancelled_at, o.is_test, o.line_items_count, o.source_name, o.landing_site, o.referring_site,
       o.utm_source, o.utm_medium, o.utm_campaign, o.utm_content, o.utm_term, o.fbclid, o.gclid, o.ttclid,
       i.public_id AS integration_id, o.created_at, o.updated_at
  FROM orders o
  LEFT JOIN customers c ON c.account_id = o.account_id AND c.id = o.customer_id
  LEFT JOIN integrations i ON i.account_id = o.account_id AND i.id = o.integration_id
 WHERE o.account_id = {a} ORDER BY o.placed_at, o.public_id)SQL"},
    {"order_refunds", R"SQL(
SELECT o.public_id AS order_id, r.platform, r.external_id, r.refunded_at, r.currency, r.amount_minor, r.reason,
       r.created_at
  FROM order_refunds r JOIN orders o ON o.account_id = r.account_id AND o.id = r.order_id
 WHERE r.account_id = {a} ORDER BY r.refunded_at, r.external_id)SQL"},
    {"subscriptions", R"SQL(
SELECT s.stripe_customer_id, s.stripe_subscription_id, s.plan, s.status, s.billing_interval, s.stripe_price_id,
       s.current_period_end, s.cancel_at_period_end, s.trial_end, s.created_at, s.updated_at
  FROM subscriptions s
 WHERE s.account_id = {a} ORDER BY s.created_at)SQL"},
    {"api_keys", R"SQL(
SELECT k.public_id AS id, k.name, k.role, k.key_prefix, u.public_id AS created_by, k.created_at, k.last_used_at,
       k.revoked_at
  FROM api_keys k LEFT JOIN users u ON u.id = k.created_by
 WHERE k.account_id = {a} ORDER BY k.created_at, k.public_id)SQL"},
    {"audit_log", R"SQL(
SELECT l.created_at, l.action, u.public_id AS actor_user_id, k.public_id AS actor_api_key_id, l.target_type,
       l.target_id, l.request_id, l.ip, l.user_agent, l.metadata
  FROM audit_log l
  LEFT JOIN users u ON u.id = l.actor_user_id
  LEFT JOIN api_keys k ON k.account_id = l.account_id AND k.id = l.actor_api_key_id
 WHERE l.account_id = {a} ORDER BY l.created_at, l.id)SQL"},
    {"client_accounts", R"SQL(
SELECT c.public_id AS id, c.name, c.created_at
  FROM accounts c
 WHERE c.parent_account_id = {a} ORDER BY c.created_at, c.public_id)SQL"},
}};

std::string bind_account(std::string_view sql, const AccountScope& scope) {
  return fmt::format(fmt::runtime(sql), fmt::arg("a", scope.account_id()));
}

// Rows per table, counted before the erasure (the record of what was erased).
constexpr std::array<std::string_view, 14> kCounted{
    "memberships",   "invitations",   "integrations", "sync_runs", "ad_spend", "customers",    "orders",
    "order_refunds", "subscriptions", "api_keys",     "audit_log", "jobs",     "sync_cursors", "oauth_states"};

}  // namespace

std::span<const Table> export_tables() {
  return kTables;
}

std::string account_json(pqxx::transaction_base& tx, const AccountScope& scope) {
  const auto r = tx.exec_params1(
      "SELECT json_build_object('id', public_id, 'name', name, 'timezone', timezone, 'currency', currency, "
      "'plan', plan, 'created_at', created_at)::text FROM accounts WHERE id = $1",
      scope.account_id());
  return r[0].as<std::string>();
}

void read_table(pqxx::transaction_base& tx, const AccountScope& scope, const Table& table, int page_rows,
                const std::function<bool(const pqxx::result&)>& on_page) {
  const std::string cursor = fmt::format("otq_export_{}", table.name);
  tx.exec0(fmt::format("DECLARE {} NO SCROLL CURSOR FOR {}", cursor, bind_account(table.sql, scope)));
  for (;;) {
    const pqxx::result page = tx.exec(fmt::format("FETCH FORWARD {} FROM {}", page_rows, cursor));
    if (!on_page(page) || static_cast<int>(page.size()) < page_rows) break;
  }
  tx.exec0(fmt::format("CLOSE {}", cursor));
}

bool has_renewing_subscription(pqxx::transaction_base& tx, const AccountScope& scope) {
  return tx
      .exec_params1(
          "SELECT EXISTS (SELECT 1 FROM subscriptions WHERE account_id = $1 AND status IN "
          "('trialing', 'active', 'past_due', 'unpaid') AND NOT cancel_at_period_end)",
          scope.account_id())[0]
      .as<bool>();
}

std::map<std::string, std::int64_t> erase(pqxx::transaction_base& tx, const AccountScope& scope,
                                          const std::string& erased_by, const std::string& request_id) {
  const std::int64_t a = scope.account_id();
  // The account row first, locked: a second erasure (or a concurrent change of the account)
  // waits here, then finds nothing.
  const auto account = tx.exec_params("SELECT public_id FROM accounts WHERE id = $1 FOR UPDATE", a);
  if (account.empty()) return {};
  std::map<std::string, std::int64_t> rows;
  for (auto table : kCounted) {
    rows[std::string(table)] =
        tx.exec_params1(fmt::format("SELECT count(*) FROM {} WHERE account_id = $1", table), a)[0].as<std::int64_t>();
  }
  // Stripe's events keep their payload (the customer's email) with the account set to NULL by
  // the foreign key; they go too.
  rows["stripe_events"] = tx.exec_params("DELETE FROM stripe_events WHERE account_id = $1", a).affected_rows();
  // The rollups are erased with the account: recomputing them row by row first is wasted work.
  tx.exec0("SET LOCAL otq.defer_rollups = 'on'");
  tx.exec_params0(
      "INSERT INTO account_erasures (account_public_id, erased_by, request_id, rows_erased) VALUES ($1, $2, $3, $4)",
      account[0][0].as<std::string>(), erased_by, request_id.empty() ? std::optional<std::string>() : request_id,
      nlohmann::json(rows).dump());
  // Every tenant table cascades from accounts (the fact tables through their parent triggers,
  // ADR 0011), credentials and queued jobs included.
  tx.exec_params0("DELETE FROM accounts WHERE id = $1", a);
  return rows;
}

}  // namespace otq::models::account_data
