#include "app/services/data_rights.hpp"

#include <chrono>

#include <fmt/chrono.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "app/errors.hpp"
#include "app/logging.hpp"
#include "app/models/account_data.hpp"
#include "app/models/audit.hpp"
#include "app/services/tar_gz.hpp"

namespace otq::services {
namespace {

namespace ad = models::account_data;
using json = nlohmann::json;

constexpr int kPageRows = 5000;
constexpr pqxx::oid kBoolOid = 16;

constexpr std::string_view kReadme =
    "OmniTrackIQ account export\n"
    "==========================\n\n"
    "account.json      the account itself\n"
    "manifest.json     when this archive was made and how many rows each file holds\n"
    "<table>-NNNN.csv  one table, at most 50,000 rows per file, each with a header row\n\n"
    "The files are one consistent snapshot of the account. Money is in minor units (cents) of\n"
    "the row's currency (columns ending in _minor); times are UTC unless they name a zone.\n"
    "Values a spreadsheet would run as a formula (starting with = + - @) begin with an apostrophe.\n"
    "Credentials, API key and token hashes and passwords are never exported.\n";

void append_csv_row(std::string& out, const pqxx::row& row) {
  for (pqxx::row::size_type i = 0; i < row.size(); ++i) {
    if (i > 0) out += ',';
    const pqxx::field f = row[i];
    if (f.is_null()) continue;
    if (f.type() == kBoolOid) {
      out += f.as<bool>() ? "true" : "false";
    } else {
      out += metrics_format::csv_field(f.c_str());
    }
  }
  out += "\r\n";
}

std::string csv_header(const pqxx::result& r) {
  std::string out;
  for (pqxx::row::size_type i = 0; i < r.columns(); ++i) {
    if (i > 0) out += ',';
    out += r.column_name(i);
  }
  return out + "\r\n";
}

}  // namespace

bool DataRights::write_archive(const models::AccountScope& scope, const ChunkWriter& sink) {
  db::Lease lease = pool_.acquire();
  // One snapshot for every table: rows added during the export are either in every file or none.
  pqxx::transaction<pqxx::repeatable_read, pqxx::read_only> tx(lease.connection());
  const auto now = std::chrono::system_clock::now();
  TarGzWriter tar(sink, std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count());
  const std::string account = ad::account_json(tx, scope);
  if (!tar.add("README.txt", kReadme) || !tar.add("account.json", account)) return false;

  json files = json::array();
  for (const auto& table : ad::export_tables()) {
    std::string part;
    std::string header;
    std::int64_t part_rows = 0;
    int part_number = 0;
    bool open = true;
    auto flush = [&] {
      ++part_number;
      const std::string name = fmt::format("{}-{:04}.csv", table.name, part_number);
      files.push_back({{"name", name}, {"table", table.name}, {"rows", part_rows}});
      if (part.empty()) part = header;  // an empty table still shows its columns
      open = tar.add(name, part);
      part.clear();
      part_rows = 0;
      return open;
    };
    ad::read_table(tx, scope, table, kPageRows, [&](const pqxx::result& page) {
      if (header.empty()) header = csv_header(page);
      for (const auto& row : page) {
        if (part.empty()) part = header;
        append_csv_row(part, row);
        if (++part_rows == kRowsPerFile && !flush()) return false;
      }
      return true;
    });
    if (!open) return false;
    if (part_rows > 0 || part_number == 0) {
      if (!flush()) return false;
    }
  }
  const json manifest = {{"format", 1},
                         {"account", json::parse(account)["id"]},
                         {"generated_at", fmt::format("{:%Y-%m-%dT%H:%M:%SZ}", fmt::gmtime(now))},
                         {"files", files}};
  if (!tar.add("manifest.json", manifest.dump(2) + "\n")) return false;
  tx.commit();
  return tar.finish();
}

ExportStream DataRights::export_archive(const AuthContext& ctx, const RequestMeta& meta) {
  if (exports_running_->fetch_add(1) >= kMaxConcurrentExports) {
    exports_running_->fetch_sub(1);
    throw Error(ErrorCode::rate_limited, "Other exports are running on this server; try again in a minute.")
        .retry_after(30);
  }
  auto slot = std::shared_ptr<void>(nullptr, [running = exports_running_](void*) { running->fetch_sub(1); });
  pool_.transact([&](pqxx::work& tx) {
    models::audit::record(tx, ctx.scope,
                          {"account.exported", ctx.user_id, "account", ctx.account_public_id, meta.request_id, meta.ip,
                           meta.user_agent, json::object()});
  });
  const auto day = fmt::format("{:%Y%m%d}", fmt::gmtime(std::chrono::system_clock::now()));
  return {fmt::format("omnitrackiq-{}-{}.tar.gz", ctx.account_public_id, day),
          [this, slot, scope = ctx.scope](const ChunkWriter& write) {
            if (!write_archive(scope, write)) log::info("export_abandoned", {{"detail", "the client went away"}});
          }};
}

std::map<std::string, std::int64_t> DataRights::erase_account(const AuthContext& ctx, const std::string& confirmation,
                                                              const RequestMeta& meta) {
  if (confirmation != ctx.account_public_id) {
    throw Error(ErrorCode::unprocessable,
                fmt::format("To erase this account and all its data, send \"confirm\": \"{}\" (the account's id).",
                            ctx.account_public_id));
  }
  return erase(ctx.scope, ctx.user_public_id, meta.request_id);
}

std::map<std::string, std::int64_t> DataRights::erase(const models::AccountScope& scope, const std::string& erased_by,
                                                      const std::string& request_id) {
  auto rows = pool_.transact([&](pqxx::work& tx) {
    // Erasing a large account takes longer than a request's queries may.
    tx.exec0("SET LOCAL statement_timeout = '10min'");
    if (ad::has_renewing_subscription(tx, scope)) {
      throw Error(ErrorCode::conflict,
                  "This account has a paid subscription that still renews. Cancel it in the billing portal "
                  "first; then erase the account.");
    }
    return ad::erase(tx, scope, erased_by, request_id);
  });
  if (rows.empty()) throw Error(ErrorCode::not_found, "The account no longer exists.");
  log::info("account_erased", {{"erased_by", erased_by}, {"rows", rows}});
  return rows;
}

}  // namespace otq::services
