// Migration runner. Design and trade-offs: docs/adr/0003-migrations.md.
#include "app/migrate.hpp"

#include <algorithm>
#include <chrono>
#include <map>
#include <set>
#include <stdexcept>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "app/embedded.hpp"
#include "app/logging.hpp"
#include "app/security/digest.hpp"

namespace otq::migrate {
namespace {

// Arbitrary but fixed: every omnitrackiq process agrees on it ("otqmigr" in ASCII).
constexpr long long kAdvisoryLockKey = 0x6f74716d696772LL;

constexpr const char* kCreateTable = R"sql(
CREATE TABLE IF NOT EXISTS schema_migrations (
  version     integer PRIMARY KEY,
  name        text NOT NULL,
  checksum    text NOT NULL,
  applied_at  timestamptz NOT NULL DEFAULT now(),
  duration_ms integer NOT NULL
))sql";

constexpr const char* kTableExists = "SELECT to_regclass('public.schema_migrations') IS NOT NULL";
constexpr const char* kSelectApplied = "SELECT version, name, checksum FROM schema_migrations ORDER BY version";
constexpr const char* kInsertApplied =
    "INSERT INTO schema_migrations (version, name, checksum, duration_ms) VALUES ($1, $2, $3, $4)";

struct Applied {
  std::string name;
  std::string checksum;
};

std::map<int, Applied> read_applied(pqxx::transaction_base& tx) {
  std::map<int, Applied> out;
  if (!tx.exec1(kTableExists)[0].as<bool>()) return out;
  for (const auto& row : tx.exec(kSelectApplied)) {
    out.emplace(row[0].as<int>(), Applied{row[1].as<std::string>(), row[2].as<std::string>()});
  }
  return out;
}

}  // namespace

std::vector<Migration> parse(std::span<const std::pair<std::string_view, std::string_view>> files) {
  std::vector<Migration> out;
  std::set<int> versions;
  for (const auto& [name, sql] : files) {
    // NNNN_lower_snake.sql: the number orders them, the name documents them.
    const bool digits = name.size() > 9 && std::all_of(name.begin(), name.begin() + 4, ::isdigit);
    if (!digits || name[4] != '_' || !name.ends_with(".sql")) {
      throw std::invalid_argument(fmt::format("migration file '{}' is not named NNNN_name.sql", name));
    }
    const int version = std::stoi(std::string(name.substr(0, 4)));
    if (!versions.insert(version).second) {
      throw std::invalid_argument(fmt::format("two migration files share version {:04d}", version));
    }
    out.push_back(Migration{version, std::string(name), sql, security::sha256_hex(sql)});
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.version < b.version; });
  return out;
}

const std::vector<Migration>& embedded() {
  static const std::vector<Migration> kEmbedded = [] {
    std::vector<std::pair<std::string_view, std::string_view>> files;
    for (const auto& f : embedded::migration_files()) files.emplace_back(f.name, f.content);
    return parse(files);
  }();
  return kEmbedded;
}

Status status(pqxx::transaction_base& tx, std::span<const Migration> migrations) {
  Status st;
  const auto applied = read_applied(tx);
  st.applied = applied.size();
  std::set<int> known;
  for (const auto& m : migrations) {
    known.insert(m.version);
    auto it = applied.find(m.version);
    if (it == applied.end()) {
      st.pending.push_back(m.name);
    } else if (it->second.checksum != m.checksum) {
      st.changed.push_back(m.name);
    }
  }
  for (const auto& [version, row] : applied) {
    if (!known.contains(version)) st.unknown.push_back(row.name);
  }
  return st;
}

Report run(pqxx::connection& conn, std::span<const Migration> migrations) {
  Report report;
  // Session-level lock: it outlives the short nontransaction that takes it and is held across
  // the per-migration transactions below; PostgreSQL releases it if this process dies.
  {
    pqxx::nontransaction lock_tx(conn);
    lock_tx.exec(fmt::format("SELECT pg_advisory_lock({})", kAdvisoryLockKey));
  }
  struct Unlock {
    pqxx::connection& c;
    ~Unlock() {
      try {
        pqxx::nontransaction tx(c);
        tx.exec(fmt::format("SELECT pg_advisory_unlock({})", kAdvisoryLockKey));
      } catch (...) {  // the lock dies with the session anyway
      }
    }
  } unlock{conn};

  Status st;
  {
    pqxx::work tx(conn);
    tx.exec0(kCreateTable);
    st = status(tx, migrations);
    tx.commit();
  }
  if (!st.changed.empty()) {
    throw std::runtime_error(
        fmt::format("applied migration(s) changed since they ran: {}. Never edit an applied migration; add a new one.",
                    fmt::join(st.changed, ", ")));
  }
  for (const auto& name : st.unknown) {
    log::warn("migration_unknown", {{"name", name}, {"detail", "applied by a newer build"}});
  }
  report.already_applied = st.applied;

  for (const auto& m : migrations) {
    if (std::find(st.pending.begin(), st.pending.end(), m.name) == st.pending.end()) continue;
    const auto start = std::chrono::steady_clock::now();
    pqxx::work tx(conn);
    try {
      tx.exec(std::string(m.sql));
    } catch (const pqxx::sql_error& e) {
      throw std::runtime_error(fmt::format("migration {} failed: {}", m.name, e.what()));
    }
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
    tx.exec_params0(kInsertApplied, m.version, m.name, m.checksum, static_cast<int>(ms.count()));
    tx.commit();
    log::info("migration_applied", {{"name", m.name}, {"duration_ms", ms.count()}});
    report.applied_now.push_back(m.name);
  }
  return report;
}

}  // namespace otq::migrate
