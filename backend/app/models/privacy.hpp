// What a store's privacy requests do to its data (Shopify's mandatory customers/data_request,
// customers/redact and shop/redact webhooks): read, anonymise or erase, always in one account.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "app/models/scope.hpp"

namespace otq::models::privacy {

/// Whom a request is about: the store's customer id, their email, and the orders it names.
struct Subject {
  std::string platform;
  std::optional<std::string> customer_external_id;
  std::optional<std::string> email;
  std::vector<std::string> order_external_ids;
};

/// Everything stored about the subject: the customer row and their orders (with refunds).
nlohmann::json customer_data(pqxx::transaction_base& tx, const AccountScope& scope, const Subject& subject);

/// Erases the subject's personal data (email, names; a guest's email-based id becomes an opaque
/// one) and keeps the anonymous facts the metrics count (amounts, dates, first-order day).
/// Returns the customer and order rows changed.
std::int64_t redact_customer(pqxx::transaction_base& tx, const AccountScope& scope, const Subject& subject);

/// Deletes every order that came through the integration (refunds go with them), then that
/// platform's customers left without any order. Returns the orders deleted.
std::int64_t erase_integration_orders(pqxx::transaction_base& tx, const AccountScope& scope,
                                      std::int64_t integration_id, const std::string& platform);

}  // namespace otq::models::privacy
