// Shopify webhook deliveries (migration 0011): recorded once per X-Shopify-Webhook-Id, fanned
// out as one job per connection of the shop, their payload dropped when the last job is done.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "app/models/scope.hpp"

namespace otq::models::shopify_webhook {

struct Delivery {
  std::int64_t id = 0;
  std::string webhook_id;
  std::string shop_domain;
  std::string topic;
  nlohmann::json payload;  ///< null once applied everywhere
};

/// Stores a verified delivery; nullopt when this webhook id was stored before (a repeat).
std::optional<std::int64_t> record(pqxx::transaction_base& tx, const std::string& webhook_id,
                                   const std::string& shop_domain, const std::string& topic,
                                   const nlohmann::json& payload);

/// The connections of a shop across accounts: (account id, integration id). A signed webhook
/// names only the shop; this is how it finds the accounts it concerns. Disconnected ones count
/// too when `with_disconnected` (privacy requests reach data kept after a disconnect).
struct Connection {
  std::int64_t account_id = 0;
  std::int64_t integration_id = 0;
};
std::vector<Connection> connections_of_shop(pqxx::transaction_base& tx, const std::string& shop_domain,
                                            bool with_disconnected);

/// Sets how many jobs will apply the delivery; 0 marks it processed with `outcome` at once.
void expect_jobs(pqxx::transaction_base& tx, std::int64_t id, int jobs, const std::string& outcome);

std::optional<Delivery> find(pqxx::transaction_base& tx, std::int64_t id);

/// One job applied it: the last one marks the delivery processed and drops its payload.
void job_done(pqxx::transaction_base& tx, std::int64_t id, const std::string& outcome);

}  // namespace otq::models::shopify_webhook
