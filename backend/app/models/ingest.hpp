// Idempotent natural-key upserts of spend and orders: the one write path of the ingest API and the
// connectors. A row equal to the stored one changes nothing (no update, no rollup work).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <pqxx/pqxx>

#include "app/models/scope.hpp"
#include "app/schemas/ingest.hpp"

namespace otq::models::ingest {

struct WriteCounts {
  std::int64_t inserted = 0;
  std::int64_t updated = 0;
  std::int64_t unchanged = 0;  ///< equal to the stored row, or older than it (a late retry)
};

/// Call inside the caller's transaction; takes the account's rollup lock first (ADR 0005), so
/// concurrent batches of one account queue instead of deadlocking in the rollup triggers.
WriteCounts upsert_spend(pqxx::transaction_base& tx, const AccountScope& scope,
                         const std::vector<schemas::ingest::SpendRow>& rows,
                         std::optional<std::int64_t> integration_id);

/// Spend rows known not to be stored: a plain insert (no conflict check), for a window that was
/// empty. Throws pqxx::unique_violation when one is stored after all; the caller upserts instead.
/// The rows' sums are added to the rollups (the same figures as the triggers' recomputation).
WriteCounts insert_new_spend(pqxx::transaction_base& tx, const AccountScope& scope,
                             const std::vector<schemas::ingest::SpendRow>& rows,
                             std::optional<std::int64_t> integration_id);

/// Whether any spend of the ad account is stored between two days (inclusive).
bool spend_stored(pqxx::transaction_base& tx, const AccountScope& scope, const std::string& platform,
                  const std::string& ad_account_id, const std::string& from, const std::string& to);

/// Deletes the stored spend rows of the window that the provider no longer reports (a campaign's
/// day restated to nothing), so a re-pull replaces those days exactly. Returns the rows deleted.
std::int64_t delete_unreported_spend(pqxx::transaction_base& tx, const AccountScope& scope,
                                     const schemas::ingest::SpendWindow& window);

/// Orders with their customers and refunds. An order row older (`updated_at`) than the stored
/// one is ignored; a row with `refunds` replaces the order's refunds with that list.
/// The currency of a stored order (its shop's), or nullopt when it is not stored.
std::optional<std::string> order_currency(pqxx::transaction_base& tx, const AccountScope& scope,
                                          const std::string& platform, const std::string& external_id);

/// Adds or replaces one refund of a stored order (a refund webhook), capped so the order's refunds
/// never exceed its total. False when the order is not stored (yet): its next sync brings both.
bool upsert_refund(pqxx::transaction_base& tx, const AccountScope& scope, const std::string& platform,
                   const std::string& order_external_id, const schemas::ingest::RefundRow& refund);

WriteCounts upsert_orders(pqxx::transaction_base& tx, const AccountScope& scope,
                          const std::vector<schemas::ingest::OrderRow>& rows,
                          std::optional<std::int64_t> integration_id);

}  // namespace otq::models::ingest
