// Shopify webhook deliveries: SQL over the system table shopify_webhooks (not tenant data: a
// delivery names a shop; the jobs it fans out to carry each account's scope).
#include "app/models/shopify_webhook.hpp"

namespace otq::models::shopify_webhook {

using nlohmann::json;

std::optional<std::int64_t> record(pqxx::transaction_base& tx, const std::string& webhook_id,
                                   const std::string& shop_domain, const std::string& topic, const json& payload) {
  const auto rows = tx.exec_params(
      "INSERT INTO shopify_webhooks (webhook_id, shop_domain, topic, payload) VALUES ($1, $2, $3, $4::jsonb) "
      "ON CONFLICT (webhook_id) DO NOTHING RETURNING id",
      webhook_id, shop_domain, topic, payload.dump());
  if (rows.empty()) return std::nullopt;
  return rows[0][0].as<std::int64_t>();
}

std::vector<Connection> connections_of_shop(pqxx::transaction_base& tx, const std::string& shop_domain,
                                            bool with_disconnected) {
  std::vector<Connection> out;
  for (const auto& r :
       tx.exec_params("SELECT account_id, id FROM integrations WHERE provider = 'shopify' AND "
                      "lower(external_account_id) = lower($1) AND ($2 OR status <> 'disconnected') ORDER BY account_id",
                      shop_domain, with_disconnected)) {
    out.push_back({r[0].as<std::int64_t>(), r[1].as<std::int64_t>()});
  }
  return out;
}

void expect_jobs(pqxx::transaction_base& tx, std::int64_t id, int jobs, const std::string& outcome) {
  if (jobs == 0) {
    tx.exec_params0(
        "UPDATE shopify_webhooks SET jobs_pending = 0, processed_at = now(), payload = NULL, outcome = $2 "
        "WHERE id = $1",
        id, outcome);
  } else {
    tx.exec_params0("UPDATE shopify_webhooks SET jobs_pending = $2 WHERE id = $1", id, jobs);
  }
}

std::optional<Delivery> find(pqxx::transaction_base& tx, std::int64_t id) {
  const auto rows =
      tx.exec_params("SELECT id, webhook_id, shop_domain, topic, payload FROM shopify_webhooks WHERE id = $1", id);
  if (rows.empty()) return std::nullopt;
  const auto& r = rows[0];
  Delivery d{r[0].as<std::int64_t>(), r[1].as<std::string>(), r[2].as<std::string>(), r[3].as<std::string>(),
             r[4].is_null() ? json() : json::parse(r[4].as<std::string>())};
  return d;
}

void job_done(pqxx::transaction_base& tx, std::int64_t id, const std::string& outcome) {
  tx.exec_params0(
      "UPDATE shopify_webhooks SET jobs_pending = greatest(jobs_pending - 1, 0), "
      "outcome = coalesce(outcome || '; ', '') || $2, "
      "processed_at = CASE WHEN jobs_pending <= 1 THEN now() ELSE processed_at END, "
      "payload = CASE WHEN jobs_pending <= 1 THEN NULL ELSE payload END WHERE id = $1",
      id, outcome);
}

}  // namespace otq::models::shopify_webhook
