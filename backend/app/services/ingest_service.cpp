// Ingest: parse and check every row, then write the good ones through the natural-key upserts.
#include "app/services/ingest_service.hpp"

#include <fmt/format.h>

#include "app/errors.hpp"
#include "app/logging.hpp"
#include "app/models/ingest.hpp"
#include "app/schemas/ingest.hpp"

namespace otq::services {
namespace {

template <typename Row>
nlohmann::json answer(const schemas::ingest::Batch<Row>& batch, const models::ingest::WriteCounts& counts) {
  nlohmann::json rejected = nlohmann::json::array();
  for (const auto& r : batch.rejected) rejected.push_back({{"index", r.index}, {"errors", r.errors}});
  return {{"accepted", batch.rows.size()},
          {"rejected", rejected},
          {"inserted", counts.inserted},
          {"updated", counts.updated},
          {"unchanged", counts.unchanged}};
}

template <typename Row>
void log_batch(std::string_view kind, const AuthContext& ctx, const schemas::ingest::Batch<Row>& batch,
               const models::ingest::WriteCounts& counts) {
  log::info("ingest_batch", {{"kind", kind},
                             {"account", ctx.account_public_id},
                             {"accepted", batch.rows.size()},
                             {"rejected", batch.rejected.size()},
                             {"inserted", counts.inserted},
                             {"updated", counts.updated},
                             {"unchanged", counts.unchanged}});
}

}  // namespace

class IngestService::Slot {
 public:
  Slot(std::shared_ptr<InFlight> in_flight, std::int64_t account)
      : in_flight_(std::move(in_flight)), account_(account) {}
  Slot(Slot&& other) noexcept : in_flight_(std::move(other.in_flight_)), account_(other.account_) {}
  Slot(const Slot&) = delete;
  Slot& operator=(const Slot&) = delete;
  Slot& operator=(Slot&&) = delete;
  ~Slot() {
    if (!in_flight_) return;
    std::lock_guard lock(in_flight_->mutex);
    if (--in_flight_->by_account[account_] == 0) in_flight_->by_account.erase(account_);
  }

 private:
  std::shared_ptr<InFlight> in_flight_;
  std::int64_t account_;
};

IngestService::Slot IngestService::claim_slot(const AuthContext& ctx) {
  const std::int64_t account = ctx.scope.account_id();
  std::lock_guard lock(in_flight_->mutex);
  int& running = in_flight_->by_account[account];
  if (running >= kBatchesPerAccount) {
    if (running == 0) in_flight_->by_account.erase(account);
    throw Error(ErrorCode::rate_limited,
                fmt::format("{} batches of this account are being written; send its batches one after another "
                            "(retry this one in a second).",
                            kBatchesPerAccount))
        .retry_after(1);
  }
  ++running;
  return Slot(in_flight_, account);
}

nlohmann::json IngestService::ad_spend(const AuthContext& ctx, std::string_view body) {
  const auto batch = schemas::ingest::parse_spend_batch(body);
  models::ingest::WriteCounts counts;
  if (!batch.rows.empty()) {
    const Slot slot = claim_slot(ctx);
    counts = pool_.transact(
        [&](pqxx::work& tx) { return models::ingest::upsert_spend(tx, ctx.scope, batch.rows, std::nullopt); });
  }
  log_batch("ad_spend", ctx, batch, counts);
  return answer(batch, counts);
}

nlohmann::json IngestService::orders(const AuthContext& ctx, std::string_view body) {
  const auto batch = schemas::ingest::parse_order_batch(body);
  models::ingest::WriteCounts counts;
  if (!batch.rows.empty()) {
    const Slot slot = claim_slot(ctx);
    counts = pool_.transact(
        [&](pqxx::work& tx) { return models::ingest::upsert_orders(tx, ctx.scope, batch.rows, std::nullopt); });
  }
  log_batch("orders", ctx, batch, counts);
  return answer(batch, counts);
}

}  // namespace otq::services
