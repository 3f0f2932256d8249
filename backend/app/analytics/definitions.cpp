// Every metric the product reports. Ratios with a zero denominator are null, never 0 or infinity.
#include "app/analytics/definitions.hpp"

#include <array>

namespace otq::analytics {
namespace {

constexpr std::array kDefinitions{
    MetricDefinition{"spend", "Ad spend", "sum(spend)",
                     "Ad spend on days in the range, all platforms (or the one filtered), in the reporting currency.",
                     Unit::money, std::nullopt},
    MetricDefinition{"revenue", "Revenue", "sum(order total)",
                     "Total price of orders placed in the range (after discounts, including shipping and tax); "
                     "cancelled and test orders excluded.",
                     Unit::money, true},
    MetricDefinition{"refunds", "Refunds", "sum(refund amount)",
                     "Refunds created in the range, whenever their order was placed.", Unit::money, false},
    MetricDefinition{"net_revenue", "Net revenue", "revenue - refunds", "Revenue minus refunds of the same range.",
                     Unit::money, true},
    MetricDefinition{"orders", "Orders", "count(orders)",
                     "Orders placed in the range, excluding cancelled and test orders.", Unit::count, true},
    MetricDefinition{"aov", "Average order value", "revenue / orders", "Revenue per order.", Unit::money, true},
    MetricDefinition{"roas", "Blended ROAS", "revenue / spend",
                     "Revenue per unit of ad spend, all orders against all spend (blended, not platform-attributed).",
                     Unit::ratio, true},
    MetricDefinition{"mer", "MER", "net_revenue / spend",
                     "Marketing efficiency ratio: net revenue (after refunds) per unit of ad spend.", Unit::ratio,
                     true},
    MetricDefinition{"new_customers", "New customers", "count(customers with first ever order in range)",
                     "Customers whose first ever order (any store of the account) was placed in the range.",
                     Unit::count, true},
    MetricDefinition{"returning_customers", "Returning customers",
                     "count(customers with an order in range and a first order before it)",
                     "Customers who ordered in the range and had ordered before it.", Unit::count, true},
    MetricDefinition{"ncac", "New-customer CAC", "spend / new_customers", "Ad spend per new customer.", Unit::money,
                     false},
    MetricDefinition{"impressions", "Impressions", "sum(impressions)", "Ad impressions reported by the platforms.",
                     Unit::count, true},
    MetricDefinition{"clicks", "Clicks", "sum(clicks)", "Ad clicks reported by the platforms.", Unit::count, true},
    MetricDefinition{"ctr", "CTR", "clicks / impressions", "Click-through rate.", Unit::percent, true},
    MetricDefinition{"cpc", "CPC", "spend / clicks", "Cost per click.", Unit::money, false},
    MetricDefinition{"cpm", "CPM", "1000 * spend / impressions", "Cost per thousand impressions.", Unit::money, false},
    MetricDefinition{"conversions", "Conversions (platform)", "sum(platform conversions)",
                     "Conversions as each ad platform reports them (its own attribution; platforms overlap).",
                     Unit::count, true},
    MetricDefinition{"conversion_value", "Conversion value (platform)", "sum(platform conversion value)",
                     "Conversion value as each ad platform reports it.", Unit::money, true},
    MetricDefinition{"platform_roas", "Platform ROAS", "conversion_value / spend",
                     "ROAS as the platforms claim it; compare with blended ROAS.", Unit::ratio, true},
};

}  // namespace

std::span<const MetricDefinition> metric_definitions() {
  return kDefinitions;
}

std::string_view unit_name(Unit unit) {
  switch (unit) {
    case Unit::money: return "money";
    case Unit::count: return "count";
    case Unit::ratio: return "ratio";
    case Unit::percent: return "percent";
  }
  return "count";
}

}  // namespace otq::analytics
