// Plan limits, enforced on the server: connections per category, members, client accounts and the
// history window. A limit reached is a 402 whose `details` name the limit, the plan, what it
// allows, and the cheapest plan that allows more. Downgrades keep everything; connections beyond
// the plan are paused (kept, shown, not synced) until the plan or the connections change.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "app/models/scope.hpp"
#include "app/schemas/billing.hpp"

namespace otq::services::plan_limits {

using schemas::billing::Catalog;
using schemas::billing::Plan;

/// The account's plan (accounts.plan, kept by the Stripe webhooks); the free plan when the
/// catalogue no longer has it.
const Plan& current(pqxx::transaction_base& tx, const models::AccountScope& scope, const Catalog& catalog);

/// Takes the account row's lock until the transaction ends, so concurrent checks of one account
/// (two connects, two invitations) cannot both take the last slot.
void lock_account(pqxx::transaction_base& tx, const models::AccountScope& scope);

/// 402 unless one more live connection of `provider` fits the plan. Reconnecting an existing
/// connection (same provider and external account) always fits; with `external_account_id`
/// unknown (before an OAuth round trip) any existing connection of the provider counts as one.
void require_integration_slot(pqxx::transaction_base& tx, const models::AccountScope& scope, const Catalog& catalog,
                              std::string_view provider, const std::optional<std::string>& external_account_id);

/// Pauses live connections beyond the plan (the earliest connected stay on) and resumes those
/// within it; a resumed one is due at once, a paused one loses its queued sync. Returns how
/// many changed.
int apply_integration_limits(pqxx::transaction_base& tx, const models::AccountScope& scope, const Catalog& catalog);

/// 402 when members plus pending invitations already fill the plan.
void require_member_slot(pqxx::transaction_base& tx, const models::AccountScope& scope, const Catalog& catalog);

/// A new client account belongs to the agency at the top: the account itself, or the account it
/// was created from. 402 when that agency has as many client accounts as its plan allows;
/// otherwise returns the agency's account id (the new account's parent).
std::int64_t require_client_account_slot(pqxx::transaction_base& tx, const models::AccountScope& scope,
                                         const Catalog& catalog);

/// What the account uses of each limit: {"integrations": {"ads": n, ...}, "team_members": n,
/// "client_accounts": n}, counted as the checks above count.
nlohmann::json usage(pqxx::transaction_base& tx, const models::AccountScope& scope);

/// The first day the plan lets the account see, given today in its time zone; nullopt: no limit.
std::optional<std::string> history_start(const Plan& plan, std::string_view today);

/// A 402 for `limit` (e.g. "integrations.store", "history_days"): the message says what the
/// plan allows and which plan allows more.
[[noreturn]] void reached(const Catalog& catalog, const Plan& plan, std::string_view limit, std::string message);

}  // namespace otq::services::plan_limits
