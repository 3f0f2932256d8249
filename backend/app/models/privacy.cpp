// Privacy requests as SQL, each statement bound to the account of the scope.
#include "app/models/privacy.hpp"

#include "app/db.hpp"

namespace otq::models::privacy {
namespace {

using nlohmann::json;

// The orders a request concerns: the customer's, the ones it names, and the ones under its email.
constexpr const char* kSubjectOrders = R"SQL(
SELECT o.id FROM orders o
  LEFT JOIN customers c ON c.account_id = o.account_id AND c.id = o.customer_id
 WHERE o.account_id = $1 AND o.platform = $2
   AND (c.external_id = $3 OR o.external_id = ANY($4::text[]) OR lower(o.email) = lower($5)
        OR c.external_id = 'email:' || lower($5))
)SQL";

}  // namespace

json customer_data(pqxx::transaction_base& tx, const AccountScope& scope, const Subject& s) {
  const auto ids = db::text_array(s.order_external_ids);
  const auto customers = tx.exec_params(R"SQL(
SELECT coalesce(jsonb_agg(jsonb_build_object('external_id', c.external_id, 'email', c.email,
         'first_name', c.first_name, 'last_name', c.last_name, 'first_order_at', s.first_order_at,
         'orders_count', s.orders_count)), '[]'::jsonb)
  FROM customers c
  CROSS JOIN LATERAL (
    SELECT min(o.placed_at) AS first_order_at, count(*) AS orders_count FROM orders o
     WHERE o.account_id = c.account_id AND o.customer_id = c.id AND o.cancelled_at IS NULL AND NOT o.is_test) s
 WHERE c.account_id = $1 AND c.platform = $2 AND (c.external_id = $3 OR c.external_id = 'email:' || lower($4)
       OR lower(c.email) = lower($4))
)SQL",
                                        scope.account_id(), s.platform, s.customer_external_id, s.email);
  const auto orders = tx.exec_params(std::string(R"SQL(
SELECT coalesce(jsonb_agg(jsonb_build_object('external_id', o.external_id, 'order_number', o.order_number,
         'email', o.email, 'placed_at', o.placed_at, 'currency', o.currency, 'total_minor', o.total_minor,
         'financial_status', o.financial_status, 'cancelled_at', o.cancelled_at, 'landing_site', o.landing_site,
         'referring_site', o.referring_site, 'refunds',
         (SELECT coalesce(jsonb_agg(jsonb_build_object('external_id', f.external_id, 'refunded_at', f.refunded_at,
                  'amount_minor', f.amount_minor)), '[]'::jsonb)
            FROM order_refunds f WHERE f.account_id = o.account_id AND f.order_id = o.id)) ORDER BY o.placed_at),
         '[]'::jsonb)
  FROM orders o WHERE o.account_id = $1 AND o.id IN ()SQL") +
                                         kSubjectOrders + ")",
                                     scope.account_id(), s.platform, s.customer_external_id, ids, s.email);
  return {{"customers", json::parse(customers[0][0].as<std::string>())},
          {"orders", json::parse(orders[0][0].as<std::string>())}};
}

std::int64_t redact_customer(pqxx::transaction_base& tx, const AccountScope& scope, const Subject& s) {
  const auto ids = db::text_array(s.order_external_ids);
  const auto orders = tx.exec_params(
      std::string("UPDATE orders SET email = NULL WHERE account_id = $1 AND email IS NOT NULL AND id IN (") +
          kSubjectOrders + ")",
      scope.account_id(), s.platform, s.customer_external_id, ids, s.email);
  const auto customers = tx.exec_params(R"SQL(
UPDATE customers SET email = NULL, first_name = NULL, last_name = NULL,
       external_id = CASE WHEN external_id LIKE 'email:%' THEN 'redacted:' || id ELSE external_id END
 WHERE account_id = $1 AND platform = $2 AND (external_id = $3 OR external_id = 'email:' || lower($4)
       OR lower(email) = lower($4))
)SQL",
                                        scope.account_id(), s.platform, s.customer_external_id, s.email);
  return static_cast<std::int64_t>(orders.affected_rows() + customers.affected_rows());
}

std::int64_t erase_integration_orders(pqxx::transaction_base& tx, const AccountScope& scope,
                                      std::int64_t integration_id, const std::string& platform) {
  const auto deleted = tx.exec_params("DELETE FROM orders WHERE account_id = $1 AND integration_id = $2",
                                      scope.account_id(), integration_id);
  tx.exec_params(
      "DELETE FROM customers c WHERE c.account_id = $1 AND c.platform = $2 AND NOT EXISTS "
      "(SELECT 1 FROM orders o WHERE o.account_id = c.account_id AND o.customer_id = c.id)",
      scope.account_id(), platform);
  return static_cast<std::int64_t>(deleted.affected_rows());
}

}  // namespace otq::models::privacy
