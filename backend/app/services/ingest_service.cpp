// Ingest: parse and check every row, then write the good ones through the natural-key upserts.
#include "app/services/ingest_service.hpp"

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

nlohmann::json IngestService::ad_spend(const AuthContext& ctx, std::string_view body) {
  const auto batch = schemas::ingest::parse_spend_batch(body);
  models::ingest::WriteCounts counts;
  if (!batch.rows.empty()) {
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
    counts = pool_.transact(
        [&](pqxx::work& tx) { return models::ingest::upsert_orders(tx, ctx.scope, batch.rows, std::nullopt); });
  }
  log_batch("orders", ctx, batch, counts);
  return answer(batch, counts);
}

}  // namespace otq::services
