// The ingest API: batches of spend and order rows from n8n and custom sources.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string_view>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "app/db.hpp"
#include "app/services/auth_service.hpp"

namespace otq::services {

class IngestService {
 public:
  explicit IngestService(db::Pool& pool) : pool_(pool) {}

  /// `{"accepted", "rejected": [{"index", "errors"}], "inserted", "updated", "unchanged"}`. Good
  /// rows are stored in one transaction (all of them or, on a database failure, none); bad rows
  /// are listed with every reason. Throws for a body that is not a batch (see schemas::ingest).
  nlohmann::json ad_spend(const AuthContext& ctx, std::string_view body);
  nlohmann::json orders(const AuthContext& ctx, std::string_view body);

  /// Batches of one account written at once by this process. An account's batches take its
  /// rollup lock one at a time, so more would only hold handler threads waiting on each other
  /// (and starve every other tenant's reads): beyond this the caller gets 429 + Retry-After.
  static constexpr int kBatchesPerAccount = 2;

 private:
  class Slot;
  Slot claim_slot(const AuthContext& ctx);

  db::Pool& pool_;
  struct InFlight {
    std::mutex mutex;
    std::unordered_map<std::int64_t, int> by_account;
  };
  std::shared_ptr<InFlight> in_flight_ = std::make_shared<InFlight>();
};

}  // namespace otq::services
