// Plans (the catalogue from config/plans.json or BILLING_PLANS_FILE, joined with the Stripe Price
// ids from STRIPE_PRICES) and the request shapes of /api/v1/billing/*.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace otq::schemas::billing {

/// The plan every account has without a paying subscription; the catalogue must define it.
inline constexpr std::string_view kFreePlan = "free";
/// Billing intervals a plan may be sold in.
inline constexpr std::string_view kIntervals[] = {"month", "year"};
/// Integration categories a plan limits (connectors::ProviderInfo::category).
inline constexpr std::string_view kCategories[] = {"ads", "store", "analytics"};

/// nullopt means unlimited.
struct Limits {
  std::map<std::string, std::optional<int>, std::less<>> integrations;  ///< per category
  std::optional<int> history_days;
  std::optional<int> team_members;
  std::optional<int> client_accounts;

  std::optional<int> integrations_in(std::string_view category) const;
};

struct Price {
  std::int64_t amount = 0;   ///< minor units, per interval
  std::string currency;      ///< lower-case ISO 4217, as Stripe writes it
  std::string stripe_price;  ///< empty: not sold through Stripe (the free plan)
};

struct Plan {
  std::string id;  ///< free, starter, growth, agency, enterprise (the database's plan names)
  std::string name;
  std::string description;
  std::map<std::string, Price, std::less<>> prices;  ///< by interval
  Limits limits;
  std::vector<std::string> features;
  bool white_label = false;
};

class Catalog {
 public:
  /// Parses the catalogue and joins the entries of STRIPE_PRICES ("plan:interval=price_..."). Throws
  /// std::invalid_argument naming what is wrong (unknown plan or interval, a price for the free
  /// plan, a missing free plan, a bad limit).
  static Catalog parse(std::string_view catalogue_json, std::span<const std::string> stripe_prices = {});

  const std::vector<Plan>& plans() const { return plans_; }
  const Plan* find(std::string_view id) const;
  /// The free plan (always present).
  const Plan& free() const;
  /// The plan with this id; the free plan when the catalogue no longer has it.
  const Plan& find_or_free(std::string_view id) const;
  /// The plan and interval a Stripe Price id belongs to.
  std::optional<std::pair<const Plan*, std::string>> by_stripe_price(std::string_view price_id) const;

 private:
  std::vector<Plan> plans_;
};

/// What GET /billing/plans answers: every plan with prices and limits, never a Price id.
nlohmann::json render_plans(const Catalog& catalog);
nlohmann::json render_limits(const Limits& limits);

struct CheckoutRequest {
  std::string plan;
  std::string interval;
};
/// {plan, interval}: the plan must exist and be sold in that interval; throws Error
/// (invalid_argument for a malformed body, unprocessable for a plan that cannot be bought).
CheckoutRequest parse_checkout(const nlohmann::json& body, const Catalog& catalog);

}  // namespace otq::schemas::billing
