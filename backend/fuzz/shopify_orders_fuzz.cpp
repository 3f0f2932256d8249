// Fuzz target: Shopify orders and refunds (connectors/shopify/orders: order_from_rest,
// refund_from_rest) from the body of an orders.json page or an orders/* or refunds/create webhook.
//
// Contract (orders.hpp): both return a row, or nullopt with `error` set; they never throw. A row
// they return is one the orders and refunds tables accept (amounts >= 0, a currency of three
// letters, refunds capped so they never add up to more than the order's total, at most 250),
// since one refused row fails the sync's whole batch and every later sync of the shop.
#include <algorithm>

#include "app/connectors/shopify/orders.hpp"
#include "app/json_input.hpp"
#include "contract.hpp"

namespace {

using nlohmann::json;
using otq::fuzz::require;
namespace shopify = otq::connectors::shopify;
namespace ingest = otq::schemas::ingest;

bool capitals(const std::string& c) {
  return c.size() == 3 && std::all_of(c.begin(), c.end(), [](char ch) { return ch >= 'A' && ch <= 'Z'; });
}

void check_order(const json& order) {
  std::string error;
  std::optional<ingest::OrderRow> row;
  otq::fuzz::expect_no_throw("order_from_rest", [&] { row = shopify::order_from_rest(order, error); });
  const std::string check = "order_from_rest";
  require(row.has_value() != !error.empty(), check, "a row and an error, or neither");
  if (!row) return;
  require(row->platform == "shopify" && !row->external_id.empty(), check, "ids");
  require(ingest::is_rfc3339(row->placed_at), check, "placed_at " + row->placed_at);
  require(capitals(row->currency), check, "currency '" + row->currency + "' (orders: ^[A-Z]{3}$)");
  require(!row->presentment_currency || capitals(*row->presentment_currency), check,
          "presentment_currency '" + row->presentment_currency.value_or("") + "' (orders: ^[A-Z]{3}$)");
  require(row->total >= 0 && row->subtotal >= 0 && row->discounts >= 0 && row->shipping >= 0 && row->tax >= 0, check,
          "a negative amount");
  require(row->refunds && row->refunds->size() <= ingest::kMaxRefundsPerOrder, check, "refunds");
  std::int64_t sum = 0;
  for (const auto& f : *row->refunds) {
    require(f.amount >= 0, check, "refund " + f.external_id + " of " + std::to_string(f.amount) + " (refunds: >= 0)");
    require(!f.external_id.empty() && ingest::is_rfc3339(f.created_at), check, "refund id/created_at");
    require(!__builtin_add_overflow(sum, f.amount, &sum), check, "refunds overflow int64");
  }
  require(sum <= row->total, check, "refunds add up to more than the total");
}

void check_refund(const json& refund, const std::string& currency) {
  std::string error;
  std::optional<ingest::RefundRow> row;
  otq::fuzz::expect_no_throw("refund_from_rest", [&] { row = shopify::refund_from_rest(refund, currency, error); });
  require(row.has_value() != !error.empty(), "refund_from_rest", "a row and an error, or neither");
  if (row) require(!row->external_id.empty() && ingest::is_rfc3339(row->created_at), "refund_from_rest", "fields");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return otq::fuzz::run_input([&] {
    // As the webhook and the page reader parse bodies: no exceptions, a discarded value on error.
    const json doc = otq::parse_untrusted_json(otq::fuzz::as_text(data, size));
    if (doc.is_discarded()) return;
    check_order(doc);
    for (const char* currency : {"USD", "JPY", "KWD"}) check_refund(doc, currency);
    if (doc.is_object() && doc.contains("orders") && doc["orders"].is_array()) {
      for (const auto& order : doc["orders"]) check_order(order);
    }
  });
}
