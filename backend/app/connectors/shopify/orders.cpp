// Shopify REST order → order row. Shopify sends money as decimal strings (sometimes numbers) with
// shop and presentment variants; everything here is integer arithmetic on minor units.
#include "app/connectors/shopify/orders.hpp"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "app/connectors/money.hpp"

namespace otq::connectors::shopify {
namespace {

using nlohmann::json;
using schemas::ingest::CustomerRef;
using schemas::ingest::OrderRow;
using schemas::ingest::RefundRow;

struct Unreadable {
  std::string what;
};

std::string text_of(const json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number_integer()) return std::to_string(v.get<std::int64_t>());
  if (v.is_number()) return v.dump();
  return {};
}

std::optional<std::string> optional_text(const json& o, const char* field, std::size_t max = 4096) {
  const auto it = o.find(field);
  if (it == o.end() || it->is_null()) return std::nullopt;
  std::string s = text_of(*it);
  if (s.empty()) return std::nullopt;
  if (s.size() > max) s.resize(max);
  return s;
}

// "12.50" or 12.5 in `currency`'s minor units; a missing or null amount is zero.
std::int64_t minor_of(const json& amount, int exponent, const std::string& field) {
  if (amount.is_null()) return 0;
  const std::string text = amount.is_number_float() ? fmt::format("{:.6f}", amount.get<double>()) : text_of(amount);
  const auto v = decimal_to_minor(text, exponent);
  if (!v) throw Unreadable{fmt::format("{} is not an amount ({})", field, text.substr(0, 40))};
  return *v;
}

// The shop-money amount of `<field>_set`, else of `<field>` (REST versions before sets existed).
std::int64_t shop_money(const json& o, const std::string& field, int exponent) {
  if (const auto set = o.find(field + "_set"); set != o.end() && set->is_object()) {
    if (const auto shop = set->find("shop_money"); shop != set->end() && shop->is_object()) {
      return minor_of(shop->value("amount", json()), exponent, field + "_set.shop_money.amount");
    }
  }
  const auto it = o.find(field);
  return it == o.end() ? 0 : minor_of(*it, exponent, field);
}

std::string timestamp(const json& o, const char* field) {
  const auto s = optional_text(o, field, 64);
  if (!s || !schemas::ingest::is_rfc3339(*s)) {
    throw Unreadable{fmt::format("{} is not a timestamp with an offset", field)};
  }
  return *s;
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

std::optional<CustomerRef> customer_of(const json& order) {
  const json customer = order.value("customer", json());
  std::optional<std::string> email = customer.is_object() ? optional_text(customer, "email", 320) : std::nullopt;
  if (!email) email = optional_text(order, "email", 320);
  if (email && (email->find('@') == std::string::npos || email->find(' ') != std::string::npos)) email.reset();
  CustomerRef ref;
  ref.email = email;
  if (customer.is_object()) {
    ref.first_name = optional_text(customer, "first_name", 200);
    ref.last_name = optional_text(customer, "last_name", 200);
    if (auto id = optional_text(customer, "id", 255)) ref.external_id = *id;
  }
  if (ref.external_id.empty()) {
    if (!email) return std::nullopt;  // no customer at all (a POS sale without one)
    ref.external_id = "email:" + lower(*email);
  }
  return ref;
}

// The refund's money in shop currency (see the header).
std::int64_t refund_amount(const json& refund, const std::string& shop_currency, int exponent) {
  std::int64_t from_transactions = 0;
  bool foreign = false;
  for (const auto& t : refund.value("transactions", json::array())) {
    if (t.value("kind", "") != "refund" || t.value("status", "") != "success") continue;
    const std::string currency = t.value("currency", shop_currency);
    if (const auto set = t.find("amount_set"); set != t.end() && set->is_object() && set->contains("shop_money")) {
      from_transactions += minor_of((*set)["shop_money"].value("amount", json()), exponent, "transactions.amount_set");
    } else if (currency == shop_currency) {
      from_transactions += minor_of(t.value("amount", json()), exponent, "transactions.amount");
    } else {
      foreign = true;
    }
  }
  if (!foreign) return from_transactions;
  // Paid in another currency: the refunded goods, their tax and the adjustments in shop money.
  std::int64_t total = 0;
  for (const auto& line : refund.value("refund_line_items", json::array())) {
    total += shop_money(line, "subtotal", exponent) + shop_money(line, "total_tax", exponent);
  }
  for (const auto& adjustment : refund.value("order_adjustments", json::array())) {
    // Adjustments are negative for money given back (a shipping refund: kind shipping_refund).
    total -= shop_money(adjustment, "amount", exponent) + shop_money(adjustment, "tax_amount", exponent);
  }
  return std::max<std::int64_t>(total, 0);
}

RefundRow refund_of(const json& f, const std::string& shop_currency) {
  RefundRow refund;
  refund.external_id = optional_text(f, "id", 255).value_or("");
  if (refund.external_id.empty()) throw Unreadable{"refunds[].id is missing"};
  refund.created_at = timestamp(f, "created_at");
  refund.amount = refund_amount(f, shop_currency, currency_exponent(shop_currency));
  if (refund.amount < 0) throw Unreadable{"refunds[] sums to a negative amount"};
  refund.reason = optional_text(f, "note", 500);
  return refund;
}

OrderRow map(const json& o) {
  OrderRow r;
  r.platform = "shopify";
  r.external_id = optional_text(o, "id", 255).value_or("");
  if (r.external_id.empty()) throw Unreadable{"id is missing"};
  r.order_number = optional_text(o, "name", 100);
  if (!r.order_number) {
    if (auto n = optional_text(o, "order_number", 90)) r.order_number = "#" + *n;
  }
  r.placed_at = o.contains("processed_at") && !o["processed_at"].is_null() ? timestamp(o, "processed_at")
                                                                           : timestamp(o, "created_at");
  if (o.contains("updated_at") && !o["updated_at"].is_null()) r.updated_at = timestamp(o, "updated_at");

  r.currency = optional_text(o, "currency", 16).value_or("");
  if (!is_currency_code(r.currency)) throw Unreadable{"currency is not an ISO 4217 code"};
  const int exp = currency_exponent(r.currency);
  // Informational only: a malformed one is left out rather than failing the order.
  if (auto presentment = optional_text(o, "presentment_currency", 16);
      presentment && is_currency_code(*presentment) && *presentment != r.currency) {
    r.presentment_currency = presentment;
  }
  r.total = shop_money(o, "total_price", exp);
  r.subtotal = shop_money(o, "subtotal_price", exp);
  r.discounts = shop_money(o, "total_discounts", exp);
  r.shipping = shop_money(o, "total_shipping_price", exp);
  r.tax = shop_money(o, "total_tax", exp);
  if (r.total < 0 || r.subtotal < 0 || r.discounts < 0 || r.shipping < 0 || r.tax < 0) {
    throw Unreadable{"an amount is negative"};
  }

  r.financial_status = optional_text(o, "financial_status", 50);
  r.fulfillment_status = optional_text(o, "fulfillment_status", 50);
  if (o.contains("cancelled_at") && !o["cancelled_at"].is_null()) r.cancelled_at = timestamp(o, "cancelled_at");
  r.test = o.value("test", false);
  r.customer = customer_of(o);
  r.source_name = optional_text(o, "source_name", 255);
  r.landing_site = optional_text(o, "landing_site");
  r.referring_site = optional_text(o, "referring_site");
  if (r.landing_site) {
    const auto utm = schemas::ingest::parse_utm(*r.landing_site);
    r.utm_source = utm.source;
    r.utm_medium = utm.medium;
    r.utm_campaign = utm.campaign;
    r.utm_content = utm.content;
    r.utm_term = utm.term;
    r.fbclid = utm.fbclid;
    r.gclid = utm.gclid;
    r.ttclid = utm.ttclid;
  }
  if (const auto lines = o.find("line_items"); lines != o.end() && lines->is_array()) {
    r.line_items_count = static_cast<std::int64_t>(lines->size());
  }

  std::vector<RefundRow> refunds;
  std::int64_t refunded = 0;
  for (const auto& f : o.value("refunds", json::array())) {
    RefundRow refund = refund_of(f, r.currency);
    // Never more than what is left of the total: the order's refunds may not exceed it.
    refund.amount = std::min(refund.amount, r.total - refunded);
    refunded += refund.amount;
    refunds.push_back(std::move(refund));
  }
  if (refunds.size() > schemas::ingest::kMaxRefundsPerOrder) throw Unreadable{"more than 250 refunds"};
  r.refunds = std::move(refunds);
  return r;
}

}  // namespace

std::optional<schemas::ingest::OrderRow> order_from_rest(const nlohmann::json& order, std::string& error) {
  if (!order.is_object()) {
    error = "the order is not a JSON object";
    return std::nullopt;
  }
  try {
    return map(order);
  } catch (const Unreadable& u) {
    error = fmt::format("order {}: {}", text_of(order.value("id", json())), u.what);
  } catch (const json::exception& e) {
    error = fmt::format("order {}: unexpected shape ({})", text_of(order.value("id", json())), e.id);
  }
  return std::nullopt;
}

std::optional<schemas::ingest::RefundRow> refund_from_rest(const nlohmann::json& refund,
                                                           const std::string& shop_currency, std::string& error) {
  if (!refund.is_object()) {
    error = "the refund is not a JSON object";
    return std::nullopt;
  }
  try {
    return refund_of(refund, shop_currency);
  } catch (const Unreadable& u) {
    error = fmt::format("refund {}: {}", text_of(refund.value("id", json())), u.what);
  } catch (const json::exception& e) {
    error = fmt::format("refund {}: unexpected shape ({})", text_of(refund.value("id", json())), e.id);
  }
  return std::nullopt;
}

}  // namespace otq::connectors::shopify
