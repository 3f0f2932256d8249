// Shopify REST orders (as orders.json and the orders/* webhooks send them) to order rows: shop
// money, refunds from transactions or line items, customers, attribution, and what is refused.
#include "app/connectors/shopify/orders.hpp"

#include <gtest/gtest.h>

namespace otq::connectors::shopify {
namespace {

using nlohmann::json;

json money(const std::string& shop, const std::string& shop_currency, const std::string& presentment,
           const std::string& presentment_currency) {
  return {{"shop_money", {{"amount", shop}, {"currency_code", shop_currency}}},
          {"presentment_money", {{"amount", presentment}, {"currency_code", presentment_currency}}}};
}

// An order in the shape of Shopify's REST Admin API 2026-07 (values ours).
json order() {
  return json::parse(R"({
    "id": 820982911946154508, "name": "#1042", "order_number": 1042, "email": "Jo.Doe@Example.com",
    "created_at": "2026-11-20T10:15:00-05:00", "processed_at": "2026-11-20T10:14:30-05:00",
    "updated_at": "2026-11-21T08:00:00-05:00", "currency": "USD", "presentment_currency": "USD",
    "total_price": "118.40", "subtotal_price": "100.00", "total_discounts": "5.00", "total_tax": "8.40",
    "total_shipping_price_set": {"shop_money": {"amount": "15.00", "currency_code": "USD"},
                                 "presentment_money": {"amount": "15.00", "currency_code": "USD"}},
    "financial_status": "partially_refunded", "fulfillment_status": "fulfilled", "cancelled_at": null,
    "test": false, "source_name": "web",
    "landing_site": "/products/mug?utm_source=facebook&utm_medium=paid_social&utm_campaign=bfcm&fbclid=IwAR0x",
    "referring_site": "https://l.facebook.com/",
    "customer": {"id": 6207119551, "email": "jo.doe@example.com", "first_name": "Jo", "last_name": "Doe"},
    "line_items": [{"id": 1}, {"id": 2}, {"id": 3}],
    "refunds": [
      {"id": 9101, "created_at": "2026-11-22T09:00:00-05:00", "note": "arrived broken",
       "transactions": [
         {"id": 1, "kind": "refund", "status": "success", "amount": "25.00", "currency": "USD"},
         {"id": 2, "kind": "refund", "status": "failure", "amount": "25.00", "currency": "USD"},
         {"id": 3, "kind": "sale", "status": "success", "amount": "118.40", "currency": "USD"}],
       "refund_line_items": [], "order_adjustments": []}
    ]})");
}

schemas::ingest::OrderRow mapped(const json& o) {
  std::string error;
  auto row = order_from_rest(o, error);
  EXPECT_TRUE(row.has_value()) << error;
  return row.value_or(schemas::ingest::OrderRow{});
}

TEST(ShopifyOrders, MapsMoneyStatusCustomerAndAttribution) {
  const auto r = mapped(order());
  EXPECT_EQ(r.platform, "shopify");
  EXPECT_EQ(r.external_id, "820982911946154508") << "ids beyond 2^53 kept exactly";
  EXPECT_EQ(r.order_number, "#1042");
  EXPECT_EQ(r.placed_at, "2026-11-20T10:14:30-05:00") << "processed_at: when the sale happened";
  EXPECT_EQ(r.updated_at, "2026-11-21T08:00:00-05:00");
  EXPECT_EQ(r.currency, "USD");
  EXPECT_FALSE(r.presentment_currency.has_value()) << "the same as the shop's";
  EXPECT_EQ(r.total, 11840);
  EXPECT_EQ(r.subtotal, 10000);
  EXPECT_EQ(r.discounts, 500);
  EXPECT_EQ(r.shipping, 1500);
  EXPECT_EQ(r.tax, 840);
  EXPECT_EQ(r.financial_status, "partially_refunded");
  EXPECT_EQ(r.fulfillment_status, "fulfilled");
  EXPECT_FALSE(r.cancelled_at.has_value());
  EXPECT_FALSE(r.test);
  ASSERT_TRUE(r.customer.has_value());
  EXPECT_EQ(r.customer->external_id, "6207119551");
  EXPECT_EQ(r.customer->email, "jo.doe@example.com");
  EXPECT_EQ(r.customer->first_name, "Jo");
  EXPECT_EQ(r.utm_source, "facebook");
  EXPECT_EQ(r.utm_medium, "paid_social");
  EXPECT_EQ(r.utm_campaign, "bfcm");
  EXPECT_EQ(r.fbclid, "IwAR0x");
  EXPECT_FALSE(r.gclid.has_value());
  EXPECT_EQ(r.source_name, "web");
  EXPECT_EQ(r.referring_site, "https://l.facebook.com/");
  EXPECT_EQ(r.line_items_count, 3);
  ASSERT_TRUE(r.refunds.has_value());
  ASSERT_EQ(r.refunds->size(), 1u);
  EXPECT_EQ((*r.refunds)[0].external_id, "9101");
  EXPECT_EQ((*r.refunds)[0].created_at, "2026-11-22T09:00:00-05:00");
  EXPECT_EQ((*r.refunds)[0].amount, 2500) << "only successful refund transactions";
  EXPECT_EQ((*r.refunds)[0].reason, "arrived broken");
}

TEST(ShopifyOrders, ReportsInShopMoneyWhenTheBuyerPaidInAnotherCurrency) {
  json o = order();
  o["presentment_currency"] = "EUR";
  o["total_price"] = "109.00";  // the plain fields are in presentment money here
  o["total_price_set"] = money("118.40", "USD", "109.00", "EUR");
  o["subtotal_price_set"] = money("100.00", "USD", "92.10", "EUR");
  // Refunded in euros: the refund's line item, its tax and a shipping refund, in shop money.
  o["refunds"][0]["transactions"] =
      json::array({{{"kind", "refund"}, {"status", "success"}, {"amount", "27.60"}, {"currency", "EUR"}}});
  o["refunds"][0]["refund_line_items"] = json::array({{{"subtotal", 20.0},
                                                       {"subtotal_set", money("20.00", "USD", "18.42", "EUR")},
                                                       {"total_tax", 1.68},
                                                       {"total_tax_set", money("1.68", "USD", "1.55", "EUR")}}});
  o["refunds"][0]["order_adjustments"] = json::array(
      {{{"kind", "shipping_refund"}, {"amount_set", money("-8.00", "USD", "-7.37", "EUR")}, {"tax_amount", "0.00"}}});
  const auto r = mapped(o);
  EXPECT_EQ(r.presentment_currency, "EUR");
  EXPECT_EQ(r.total, 11840);
  EXPECT_EQ(r.subtotal, 10000);
  EXPECT_EQ((*r.refunds)[0].amount, 2968) << "20.00 + 1.68 tax + 8.00 shipping, in USD";
}

TEST(ShopifyOrders, GuestsCancellationsTestsAndZeroDecimalCurrencies) {
  json o = order();
  o.erase("customer");
  o["email"] = "Guest@Example.com";
  o["cancelled_at"] = "2026-11-20T12:00:00-05:00";
  o["test"] = true;
  o["currency"] = "JPY";
  o["presentment_currency"] = "JPY";
  o["total_price"] = "12840";
  o["subtotal_price"] = "12000";
  o["total_discounts"] = "0";
  o["total_tax"] = "840";
  o["total_shipping_price_set"] = money("0", "JPY", "0", "JPY");
  o["refunds"] = json::array();
  o.erase("processed_at");
  const auto r = mapped(o);
  EXPECT_EQ(r.customer->external_id, "email:guest@example.com");
  EXPECT_EQ(r.cancelled_at, "2026-11-20T12:00:00-05:00");
  EXPECT_TRUE(r.test);
  EXPECT_EQ(r.total, 12840) << "yen have no minor unit";
  EXPECT_EQ(r.placed_at, "2026-11-20T10:15:00-05:00") << "created_at without processed_at";
  ASSERT_TRUE(r.refunds.has_value());
  EXPECT_TRUE(r.refunds->empty()) << "an empty list clears stored refunds";
}

TEST(ShopifyOrders, RefundsNeverExceedTheTotal) {
  json o = order();
  o["refunds"].push_back(
      {{"id", 9102},
       {"created_at", "2026-11-23T09:00:00-05:00"},
       {"transactions", {{{"kind", "refund"}, {"status", "success"}, {"amount", "200.00"}, {"currency", "USD"}}}}});
  const auto r = mapped(o);
  EXPECT_EQ((*r.refunds)[0].amount + (*r.refunds)[1].amount, r.total);
}

TEST(ShopifyOrders, RefusesWhatItCannotReadAndSaysWhy) {
  std::string error;
  json no_id = order();
  no_id.erase("id");
  EXPECT_FALSE(order_from_rest(no_id, error).has_value());
  EXPECT_EQ(error, "order : id is missing");
  json bad_money = order();
  bad_money["total_price"] = "12,50";
  EXPECT_FALSE(order_from_rest(bad_money, error).has_value());
  EXPECT_NE(error.find("total_price is not an amount"), std::string::npos) << error;
  json bad_time = order();
  bad_time["processed_at"] = "2026-11-20 10:14";
  EXPECT_FALSE(order_from_rest(bad_time, error).has_value());
  EXPECT_NE(error.find("processed_at"), std::string::npos) << error;
  EXPECT_FALSE(order_from_rest(json::array(), error).has_value());
}

}  // namespace
}  // namespace otq::connectors::shopify
