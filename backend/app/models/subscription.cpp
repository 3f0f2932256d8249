// Subscription and Stripe event SQL.
#include "app/models/subscription.hpp"

#include <fmt/format.h>

namespace otq::models::subscription {
namespace {

#define OTQ_TS(col) "to_char(" col " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"

std::optional<std::string> opt(const pqxx::field& f) {
  if (f.is_null()) return std::nullopt;
  return f.as<std::string>();
}

std::optional<std::int64_t> opt_id(const pqxx::result& r) {
  if (r.empty()) return std::nullopt;
  return r[0][0].as<std::int64_t>();
}

}  // namespace

std::optional<std::string> customer_of(pqxx::transaction_base& tx, const AccountScope& scope) {
  return opt(tx.exec_params1("SELECT stripe_customer_id FROM accounts WHERE id = $1", scope.account_id())[0]);
}

std::string set_customer(pqxx::transaction_base& tx, const AccountScope& scope, const std::string& customer_id) {
  // One statement: a concurrent writer's value, once committed, is what the UPDATE sees and keeps.
  return tx
      .exec_params1(
          "UPDATE accounts SET stripe_customer_id = coalesce(stripe_customer_id, $2) WHERE id = $1 "
          "RETURNING stripe_customer_id",
          scope.account_id(), customer_id)[0]
      .as<std::string>();
}

bool apply(pqxx::transaction_base& tx, const AccountScope& scope, const State& s) {
  const auto r = tx.exec_params(
      R"SQL(
INSERT INTO subscriptions AS s (account_id, stripe_customer_id, stripe_subscription_id, plan, status,
                               current_period_end, cancel_at_period_end, stripe_price_id, billing_interval,
                               trial_end, state_at)
VALUES ($1, $2, $3, $4, $5, to_timestamp($6), $7, $8, $9, to_timestamp($10), to_timestamp($11))
ON CONFLICT (stripe_subscription_id) DO UPDATE SET
  stripe_customer_id = EXCLUDED.stripe_customer_id, plan = EXCLUDED.plan, status = EXCLUDED.status,
  current_period_end = EXCLUDED.current_period_end, cancel_at_period_end = EXCLUDED.cancel_at_period_end,
  stripe_price_id = EXCLUDED.stripe_price_id, billing_interval = EXCLUDED.billing_interval,
  trial_end = EXCLUDED.trial_end, state_at = EXCLUDED.state_at
WHERE s.account_id = EXCLUDED.account_id AND s.status NOT IN ('canceled', 'incomplete_expired')
  AND (s.state_at < EXCLUDED.state_at
       -- Stripe's times are whole seconds: within one, a subscription only leaves `incomplete`.
       OR (s.state_at = EXCLUDED.state_at AND (EXCLUDED.status <> 'incomplete' OR s.status = 'incomplete')))
RETURNING 1)SQL",
      scope.account_id(), s.customer_id, s.subscription_id, s.plan, s.status, s.current_period_end,
      s.cancel_at_period_end, s.price_id, s.interval, s.trial_end, s.state_at);
  return !r.empty();
}

bool transition(pqxx::transaction_base& tx, const AccountScope& scope, const std::string& subscription_id,
                const char* from, const std::string& to, std::int64_t state_at) {
  // `from` is one of the fixed lists in billing_service.cpp, never input.
  const auto r = tx.exec_params(fmt::format("UPDATE subscriptions SET status = $3, state_at = to_timestamp($4) "
                                            " WHERE account_id = $1 AND stripe_subscription_id = $2 "
                                            "   AND status IN ({}) AND state_at <= to_timestamp($4) RETURNING 1",
                                            from),
                                scope.account_id(), subscription_id, to, state_at);
  return !r.empty();
}

bool exists(pqxx::transaction_base& tx, const AccountScope& scope, const std::string& subscription_id) {
  return !tx.exec_params("SELECT 1 FROM subscriptions WHERE account_id = $1 AND stripe_subscription_id = $2",
                         scope.account_id(), subscription_id)
              .empty();
}

bool stored(pqxx::transaction_base& tx, const std::string& subscription_id) {
  return !tx.exec_params("SELECT 1 FROM subscriptions WHERE stripe_subscription_id = $1", subscription_id).empty();
}

std::optional<Current> current(pqxx::transaction_base& tx, const AccountScope& scope) {
  const auto r =
      tx.exec_params(fmt::format("SELECT plan, status, billing_interval, " OTQ_TS("current_period_end") ", " OTQ_TS(
                                     "trial_end") ", cancel_at_period_end FROM subscriptions WHERE account_id = $1 "
                                                  "ORDER BY status IN ({}) DESC, created_at DESC, id DESC LIMIT 1",
                                 kEntitledStatuses),
                     scope.account_id());
  if (r.empty()) return std::nullopt;
  return Current{r[0][0].as<std::string>(), r[0][1].as<std::string>(), opt(r[0][2]), opt(r[0][3]), opt(r[0][4]),
                 r[0][5].as<bool>()};
}

std::pair<std::string, std::string> refresh_plan(pqxx::transaction_base& tx, const AccountScope& scope,
                                                 const std::string& free_plan) {
  const auto r = tx.exec_params1(
      fmt::format("WITH old AS (SELECT plan FROM accounts WHERE id = $1 FOR UPDATE), "
                  "new AS (SELECT coalesce((SELECT plan FROM subscriptions WHERE account_id = $1 AND status IN ({}) "
                  "                          ORDER BY created_at DESC, id DESC LIMIT 1), $2) AS plan), "
                  "upd AS (UPDATE accounts a SET plan = new.plan FROM new, old "
                  "         WHERE a.id = $1 AND old.plan IS DISTINCT FROM new.plan) "
                  "SELECT old.plan, new.plan FROM old, new",
                  kEntitledStatuses),
      scope.account_id(), free_plan);
  return {r[0].as<std::string>(), r[1].as<std::string>()};
}

std::optional<std::int64_t> account_by_customer(pqxx::transaction_base& tx, const std::string& customer_id) {
  return opt_id(tx.exec_params("SELECT id FROM accounts WHERE stripe_customer_id = $1", customer_id));
}

std::optional<std::int64_t> account_by_public_id(pqxx::transaction_base& tx, const std::string& public_id) {
  return opt_id(tx.exec_params("SELECT id FROM accounts WHERE public_id = $1", public_id));
}

bool event_processed(pqxx::transaction_base& tx, const std::string& event_id) {
  return !tx.exec_params("SELECT 1 FROM stripe_events WHERE id = $1 AND processed_at IS NOT NULL", event_id).empty();
}

bool claim_event(pqxx::transaction_base& tx, const std::string& event_id, const std::string& type,
                 const nlohmann::json& payload) {
  const auto r = tx.exec_params(
      "INSERT INTO stripe_events AS e (id, type, payload) VALUES ($1, $2, $3::jsonb) "
      "ON CONFLICT (id) DO UPDATE SET payload = EXCLUDED.payload, received_at = now(), error = NULL "
      "WHERE e.processed_at IS NULL RETURNING 1",
      event_id, type, payload.dump());
  return !r.empty();
}

void finish_event(pqxx::transaction_base& tx, const std::string& event_id, std::optional<std::int64_t> account_id,
                  const std::optional<std::string>& error) {
  tx.exec_params(
      "UPDATE stripe_events SET account_id = $2, error = $3, "
      "       processed_at = CASE WHEN $3::text IS NULL THEN now() END WHERE id = $1",
      event_id, account_id, error);
}

#undef OTQ_TS

}  // namespace otq::models::subscription
