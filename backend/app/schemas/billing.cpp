// Plan catalogue parsing and billing request shapes.
#include "app/schemas/billing.hpp"

#include <algorithm>
#include <stdexcept>

#include <fmt/format.h>

#include "app/errors.hpp"
#include "app/schemas/object_reader.hpp"

namespace otq::schemas::billing {
namespace {

using nlohmann::json;

// The plan names the database accepts (accounts.plan, subscriptions.plan).
constexpr std::string_view kPlanIds[] = {"free", "starter", "growth", "agency", "enterprise"};

template <typename Range>
bool contains(const Range& range, std::string_view value) {
  return std::find(std::begin(range), std::end(range), value) != std::end(range);
}

[[noreturn]] void invalid(const std::string& message) {
  throw std::invalid_argument(message);
}

std::optional<int> limit(const json& plan, const json& value, std::string_view what) {
  if (value.is_null()) return std::nullopt;
  if (!value.is_number_integer() || value.get<std::int64_t>() < 0 || value.get<std::int64_t>() > 1000000) {
    invalid(fmt::format("plan '{}': {} must be a whole number from 0 to 1000000, or null for unlimited",
                        plan.value("id", "?"), what));
  }
  return value.get<int>();
}

std::string text(const json& object, const char* field, const std::string& where, std::size_t max_length) {
  const auto it = object.find(field);
  if (it == object.end() || !it->is_string() || it->get<std::string>().empty() ||
      it->get<std::string>().size() > max_length) {
    invalid(fmt::format("{}: '{}' must be a string of 1 to {} characters", where, field, max_length));
  }
  return it->get<std::string>();
}

Plan parse_plan(const json& p) {
  if (!p.is_object()) invalid("each entry of 'plans' must be an object");
  Plan plan;
  plan.id = text(p, "id", "a plan", 20);
  if (!contains(kPlanIds, plan.id)) {
    invalid(fmt::format("plan id '{}' is not one of free, starter, growth, agency, enterprise", plan.id));
  }
  const std::string where = fmt::format("plan '{}'", plan.id);
  plan.name = text(p, "name", where, 40);
  plan.description = text(p, "description", where, 300);
  plan.white_label = p.value("white_label", false);
  if (p.contains("features")) {
    if (!p["features"].is_array()) invalid(where + ": 'features' must be a list of strings");
    for (const auto& f : p["features"]) {
      if (!f.is_string()) invalid(where + ": 'features' must be a list of strings");
      plan.features.push_back(f.get<std::string>());
    }
  }
  const json prices = p.value("prices", json::object());
  if (!prices.is_object() || prices.empty()) invalid(where + ": 'prices' must map month and/or year to a price");
  for (const auto& [interval, price] : prices.items()) {
    if (!contains(kIntervals, interval))
      invalid(fmt::format("{}: unknown interval '{}' (month, year)", where, interval));
    if (!price.is_object() || !price.contains("amount") || !price["amount"].is_number_integer() ||
        price["amount"].get<std::int64_t>() < 0 || !price.contains("currency") || !price["currency"].is_string() ||
        price["currency"].get<std::string>().size() != 3) {
      invalid(
          fmt::format("{}: the {} price needs an 'amount' in minor units and a 3-letter 'currency'", where, interval));
    }
    plan.prices[interval] = Price{price["amount"].get<std::int64_t>(), price["currency"].get<std::string>(), {}};
  }
  const json limits = p.value("limits", json());
  if (!limits.is_object()) invalid(where + ": 'limits' must be an object");
  for (const auto& [key, value] : limits.items()) {
    if (key == "integrations") {
      if (!value.is_object()) invalid(where + ": 'limits.integrations' must map ads, store, analytics to limits");
      for (const auto& [category, n] : value.items()) {
        if (!contains(kCategories, category)) {
          invalid(fmt::format("{}: unknown integration category '{}' (ads, store, analytics)", where, category));
        }
        plan.limits.integrations[category] = limit(p, n, "limits.integrations." + category);
      }
    } else if (key == "history_days") {
      plan.limits.history_days = limit(p, value, key);
      if (plan.limits.history_days && *plan.limits.history_days < 1) invalid(where + ": history_days must be >= 1");
    } else if (key == "team_members") {
      plan.limits.team_members = limit(p, value, key);
      if (plan.limits.team_members && *plan.limits.team_members < 1) invalid(where + ": team_members must be >= 1");
    } else if (key == "client_accounts") {
      plan.limits.client_accounts = limit(p, value, key);
    } else {
      invalid(fmt::format("{}: unknown limit '{}'", where, key));
    }
  }
  for (const auto category : kCategories) {
    if (!plan.limits.integrations.contains(category)) {
      invalid(fmt::format("{}: limits.integrations.{} is missing (null means unlimited)", where, category));
    }
  }
  for (const char* key : {"history_days", "team_members", "client_accounts"}) {
    if (!limits.contains(key)) invalid(fmt::format("{}: limits.{} is missing (null means unlimited)", where, key));
  }
  return plan;
}

}  // namespace

std::optional<int> Limits::integrations_in(std::string_view category) const {
  const auto it = integrations.find(category);
  return it == integrations.end() ? std::optional<int>(0) : it->second;
}

Catalog Catalog::parse(std::string_view catalogue_json, std::span<const std::string> stripe_prices) {
  const json doc = json::parse(catalogue_json, nullptr, false);
  if (!doc.is_object() || !doc.contains("plans") || !doc["plans"].is_array()) {
    invalid("the plan catalogue must be a JSON object with a 'plans' list");
  }
  Catalog c;
  for (const auto& p : doc["plans"]) {
    Plan plan = parse_plan(p);
    if (c.find(plan.id) != nullptr) invalid(fmt::format("plan '{}' appears twice", plan.id));
    c.plans_.push_back(std::move(plan));
  }
  if (c.find(kFreePlan) == nullptr)
    invalid("the catalogue must define the 'free' plan (accounts without a subscription)");

  // plan:interval=price_id
  for (const std::string_view item : stripe_prices) {
    const auto colon = item.find(':');
    const auto eq = item.find('=');
    if (colon == std::string_view::npos || eq == std::string_view::npos || eq < colon) {
      invalid(fmt::format("STRIPE_PRICES entries look like growth:month=price_123 (got '{}')", item));
    }
    const std::string_view plan_id = item.substr(0, colon);
    const std::string_view interval = item.substr(colon + 1, eq - colon - 1);
    const std::string_view price_id = item.substr(eq + 1);
    const auto found = std::find_if(c.plans_.begin(), c.plans_.end(), [&](const Plan& p) { return p.id == plan_id; });
    Plan* plan = found == c.plans_.end() ? nullptr : &*found;
    if (plan == nullptr) invalid(fmt::format("STRIPE_PRICES names plan '{}', which the catalogue lacks", plan_id));
    if (plan->id == kFreePlan) invalid("STRIPE_PRICES: the free plan is not sold through Stripe");
    const auto price = plan->prices.find(interval);
    if (price == plan->prices.end()) {
      invalid(fmt::format("STRIPE_PRICES: plan '{}' has no {} price in the catalogue", plan_id, interval));
    }
    if (!price_id.starts_with("price_") || price_id.size() > 255) {
      invalid(fmt::format("STRIPE_PRICES: '{}' is not a Stripe Price id (price_...)", price_id));
    }
    if (c.by_stripe_price(price_id)) invalid(fmt::format("STRIPE_PRICES: '{}' is used twice", price_id));
    price->second.stripe_price = std::string(price_id);
  }
  return c;
}

const Plan* Catalog::find(std::string_view id) const {
  for (const auto& p : plans_) {
    if (p.id == id) return &p;
  }
  return nullptr;
}

const Plan& Catalog::free() const {
  return *find(kFreePlan);
}

const Plan& Catalog::find_or_free(std::string_view id) const {
  const Plan* plan = find(id);
  return plan == nullptr ? free() : *plan;
}

std::optional<std::pair<const Plan*, std::string>> Catalog::by_stripe_price(std::string_view price_id) const {
  for (const auto& p : plans_) {
    for (const auto& [interval, price] : p.prices) {
      if (!price.stripe_price.empty() && price.stripe_price == price_id) return std::make_pair(&p, interval);
    }
  }
  return std::nullopt;
}

json render_limits(const Limits& limits) {
  auto value = [](const std::optional<int>& v) { return v ? json(*v) : json(nullptr); };
  json integrations = json::object();
  for (const auto& [category, n] : limits.integrations) integrations[category] = value(n);
  return {{"integrations", integrations},
          {"history_days", value(limits.history_days)},
          {"team_members", value(limits.team_members)},
          {"client_accounts", value(limits.client_accounts)}};
}

json render_plans(const Catalog& catalog) {
  json data = json::array();
  for (const auto& p : catalog.plans()) {
    json prices = json::object();
    for (const auto& [interval, price] : p.prices) {
      prices[interval] = {
          {"amount", price.amount}, {"currency", price.currency}, {"purchasable", !price.stripe_price.empty()}};
    }
    data.push_back({{"id", p.id},
                    {"name", p.name},
                    {"description", p.description},
                    {"prices", prices},
                    {"limits", render_limits(p.limits)},
                    {"features", p.features},
                    {"white_label", p.white_label}});
  }
  return {{"data", data}};
}

CheckoutRequest parse_checkout(const json& body, const Catalog& catalog) {
  ObjectReader r(body);
  CheckoutRequest req;
  req.plan = r.required_string("plan", 20);
  req.interval = r.optional_string("interval", 10).value_or("month");
  r.finish();
  if (!contains(kIntervals, req.interval)) {
    throw Error(ErrorCode::invalid_argument, "'interval' must be month or year.");
  }
  const Plan* plan = catalog.find(req.plan);
  if (plan == nullptr) {
    std::string names;
    for (const auto& p : catalog.plans()) names += (names.empty() ? "" : ", ") + p.id;
    throw Error(ErrorCode::unprocessable, fmt::format("No plan '{}'. Plans: {}.", req.plan, names));
  }
  const auto price = plan->prices.find(req.interval);
  if (plan->id == kFreePlan) {
    throw Error(ErrorCode::unprocessable,
                "The Free plan needs no checkout; to leave a paid plan, cancel it under Manage billing.");
  }
  if (price == plan->prices.end() || price->second.stripe_price.empty()) {
    throw Error(ErrorCode::unprocessable,
                fmt::format("The {} plan is not sold {}ly on this server.", plan->name, req.interval));
  }
  return req;
}

}  // namespace otq::schemas::billing
