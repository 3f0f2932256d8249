// Everything stored for one account, read out for an export or erased for good (data rights).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <span>
#include <string>
#include <string_view>

#include <pqxx/pqxx>

#include "app/models/scope.hpp"

namespace otq::models::account_data {

/// One exported table: its file stem and a query over `$account` (the scope's id) whose columns
/// are the CSV's. Public ids only: internal ids and secrets (credentials, key and token hashes,
/// password hashes) are never selected.
struct Table {
  std::string_view name;
  std::string_view sql;
};
std::span<const Table> export_tables();

/// The account's own record as JSON text (id, name, timezone, currency, plan, created_at).
std::string account_json(pqxx::transaction_base& tx, const AccountScope& scope);

/// Reads `table` for the scope in pages of `page_rows` through a cursor of this transaction,
/// calling `on_page` with each (the column names are the result's). Stops when it returns false.
void read_table(pqxx::transaction_base& tx, const AccountScope& scope, const Table& table, int page_rows,
                const std::function<bool(const pqxx::result&)>& on_page);

/// A paid subscription still renewing: the account cannot be erased until it is cancelled.
bool has_renewing_subscription(pqxx::transaction_base& tx, const AccountScope& scope);

/// Erases every row of the account (facts, credentials, queued jobs, members' access, Stripe
/// events) and records the erasure in account_erasures. Returns the rows erased per table.
std::map<std::string, std::int64_t> erase(pqxx::transaction_base& tx, const AccountScope& scope,
                                          const std::string& erased_by, const std::string& request_id);

}  // namespace otq::models::account_data
