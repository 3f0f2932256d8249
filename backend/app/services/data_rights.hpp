// An account's data rights: the owner takes everything out (a .tar.gz of CSV and JSON) or erases
// the account for good. The same code serves the API and the operator's shell commands.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "app/db.hpp"
#include "app/models/scope.hpp"
#include "app/services/auth_service.hpp"
#include "app/services/metrics_service.hpp"

namespace otq::services {

struct ExportStream {
  std::string filename;  ///< omnitrackiq-<account>-<YYYYMMDD>.tar.gz
  std::function<void(const ChunkWriter&)> write;
};

class DataRights {
 public:
  explicit DataRights(db::Pool& pool) : pool_(pool) {}

  /// The owner's archive of the account, streamed; the audit log records it. At most
  /// kMaxConcurrentExports per server (rate_limited beyond).
  ExportStream export_archive(const AuthContext& ctx, const RequestMeta& meta);

  /// Erases the account for good. `confirmation` must equal the account's id (what the page asks
  /// the owner to type). Refused while a paid subscription still renews (cancel it first).
  /// Returns the rows erased per table.
  std::map<std::string, std::int64_t> erase_account(const AuthContext& ctx, const std::string& confirmation,
                                                    const RequestMeta& meta);

  /// The archive of one account as one consistent snapshot, into `sink` (gzip bytes). False when
  /// the sink gave up.
  bool write_archive(const models::AccountScope& scope, const ChunkWriter& sink);

  /// The erasure itself (API and shell): one transaction; `erased_by` is a user's public id or
  /// "operator:<login>".
  std::map<std::string, std::int64_t> erase(const models::AccountScope& scope, const std::string& erased_by,
                                            const std::string& request_id);

  static constexpr int kMaxConcurrentExports = 2;
  /// Rows of one table per CSV file inside the archive (orders-0001.csv, orders-0002.csv, …).
  static constexpr int kRowsPerFile = 50000;

 private:
  db::Pool& pool_;
  std::shared_ptr<std::atomic<int>> exports_running_ = std::make_shared<std::atomic<int>>(0);
};

}  // namespace otq::services
