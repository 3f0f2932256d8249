// Stripe customers and subscriptions of accounts, and the log of Stripe events. The stored state
// is always a copy of Stripe's: each write carries the Stripe time it is from and never replaces a
// newer one, and a canceled subscription never comes back (Stripe never revives one either).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "app/models/scope.hpp"

namespace otq::models::subscription {

/// Statuses that keep the plan's entitlements (past_due: while Stripe retries the payment).
inline constexpr const char* kEntitledStatuses = "'active', 'trialing', 'past_due'";

struct State {
  std::string subscription_id;  ///< sub_...
  std::string customer_id;      ///< cus_...
  std::string plan;
  std::optional<std::string> interval;  ///< month | year
  std::optional<std::string> price_id;
  std::string status;
  std::optional<std::int64_t> current_period_end;  ///< Unix seconds
  std::optional<std::int64_t> trial_end;
  bool cancel_at_period_end = false;
  std::int64_t state_at = 0;  ///< Unix seconds: the event's `created`, or when it was fetched
};

/// What the billing page shows: the account's most relevant subscription (an entitled one, else
/// the newest).
struct Current {
  std::string plan;
  std::string status;
  std::optional<std::string> interval;
  std::optional<std::string> current_period_end;  ///< RFC 3339 UTC
  std::optional<std::string> trial_end;
  bool cancel_at_period_end = false;
};

std::optional<std::string> customer_of(pqxx::transaction_base& tx, const AccountScope& scope);

/// Stores the account's Stripe customer unless it has one; returns the one it has afterwards.
std::string set_customer(pqxx::transaction_base& tx, const AccountScope& scope, const std::string& customer_id);

/// Inserts or updates the subscription when `state` is not older than the stored one and the
/// stored one is not final (canceled, incomplete_expired). True when written.
bool apply(pqxx::transaction_base& tx, const AccountScope& scope, const State& state);

/// An invoice's outcome moves a stored subscription from one of `from` (SQL list of quoted
/// statuses) to `to`, unless a newer state is stored. False when nothing matched.
bool transition(pqxx::transaction_base& tx, const AccountScope& scope, const std::string& subscription_id,
                const char* from, const std::string& to, std::int64_t state_at);

bool exists(pqxx::transaction_base& tx, const AccountScope& scope, const std::string& subscription_id);

/// Whether any account has this subscription stored (before a webhook knows the account).
bool stored(pqxx::transaction_base& tx, const std::string& subscription_id);

std::optional<Current> current(pqxx::transaction_base& tx, const AccountScope& scope);

/// Sets accounts.plan to the plan of the entitled subscription (or `free_plan`); returns the
/// plan before and after.
std::pair<std::string, std::string> refresh_plan(pqxx::transaction_base& tx, const AccountScope& scope,
                                                 const std::string& free_plan);

// Not scoped: a Stripe event names its account only through these. -------------------------------

std::optional<std::int64_t> account_by_customer(pqxx::transaction_base& tx, const std::string& customer_id);
std::optional<std::int64_t> account_by_public_id(pqxx::transaction_base& tx, const std::string& public_id);

/// True when the event was processed before (a repeat delivery).
bool event_processed(pqxx::transaction_base& tx, const std::string& event_id);

/// Claims the event for processing: false when it was processed already (also when another
/// delivery processed it while this one waited for the row).
bool claim_event(pqxx::transaction_base& tx, const std::string& event_id, const std::string& type,
                 const nlohmann::json& payload);

/// Marks the claimed event processed (error empty) or failed (kept unprocessed, so a resend retries).
void finish_event(pqxx::transaction_base& tx, const std::string& event_id, std::optional<std::int64_t> account_id,
                  const std::optional<std::string>& error);

}  // namespace otq::models::subscription
