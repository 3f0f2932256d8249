// Schema migrations: ordered SQL files, each applied once in its own transaction, under an advisory lock.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <pqxx/pqxx>

namespace otq::migrate {

/// One migration: `NNNN_name.sql` parsed into its version and name.
struct Migration {
  int version = 0;
  std::string name;      ///< file name, e.g. "0001_initial_schema.sql"
  std::string_view sql;  ///< file content
  std::string checksum;  ///< SHA-256 hex of the content
};

/// Parses and orders files named NNNN_name.sql. Throws std::invalid_argument on a bad name or a
/// duplicate version: both are mistakes that must stop a deploy, not be skipped.
std::vector<Migration> parse(std::span<const std::pair<std::string_view, std::string_view>> files);

/// The migrations compiled into this binary.
const std::vector<Migration>& embedded();

/// What the database holds compared with the known migrations.
struct Status {
  std::vector<std::string> pending;  ///< known, not applied
  std::vector<std::string> changed;  ///< applied, but the file's checksum differs now
  std::vector<std::string> unknown;  ///< applied, but not known to this binary (a newer deploy)
  std::size_t applied = 0;           ///< rows in schema_migrations
  bool current() const { return pending.empty() && changed.empty(); }
};

/// Reads schema_migrations (absent table = nothing applied).
Status status(pqxx::transaction_base& tx, std::span<const Migration> migrations);

/// Result of a run.
struct Report {
  std::vector<std::string> applied_now;
  std::size_t already_applied = 0;
};

/// Applies every pending migration in order, each in its own transaction together with its
/// schema_migrations row, while holding a session advisory lock so concurrent runners serialise
/// (the second finds nothing left to do). Throws std::runtime_error when an applied file changed.
Report run(pqxx::connection& conn, std::span<const Migration> migrations);

}  // namespace otq::migrate
