// The metric contract: complete, consistent, and the same in docs/metrics.md as in the code.
#include "app/analytics/definitions.hpp"

#include <fstream>
#include <set>
#include <sstream>

#include <gtest/gtest.h>

#include "tests/support/env.hpp"

namespace otq::analytics {
namespace {

TEST(MetricDefinitions, CoverEveryMetricOfTheProductContractOnce) {
  std::set<std::string_view> names;
  for (const auto& d : metric_definitions()) EXPECT_TRUE(names.insert(d.name).second) << "duplicate " << d.name;
  for (const char* required : {"spend", "revenue", "refunds", "net_revenue", "orders", "aov", "roas", "mer",
                               "new_customers", "returning_customers", "ncac", "impressions", "clicks", "ctr", "cpc",
                               "cpm", "conversions", "conversion_value", "platform_roas"}) {
    EXPECT_TRUE(names.contains(required)) << required;
  }
}

TEST(MetricDefinitions, RatiosNameTheirDenominatorAndCostsAreLowerIsBetter) {
  for (const auto& d : metric_definitions()) {
    if (d.formula.find(" / ") != std::string_view::npos) {
      const auto denominator = d.formula.substr(d.formula.find(" / ") + 3);
      EXPECT_FALSE(denominator.empty()) << d.name;
    }
  }
  for (const char* cost : {"ncac", "cpc", "cpm", "refunds"}) {
    const auto it = std::find_if(metric_definitions().begin(), metric_definitions().end(),
                                 [&](const auto& d) { return d.name == cost; });
    ASSERT_NE(it, metric_definitions().end());
    EXPECT_EQ(it->higher_is_better, false) << cost;
  }
}

TEST(MetricDefinitions, DocsMetricsMdListsEachWithTheSameFormulaAndUnit) {
  std::ifstream in(testing::repo_dir() + "/docs/metrics.md");
  ASSERT_TRUE(in);
  std::stringstream doc;
  doc << in.rdbuf();
  for (const auto& d : metric_definitions()) {
    const std::string row =
        "| `" + std::string(d.name) + "` | " + std::string(d.formula) + " | " + std::string(unit_name(d.unit)) + " |";
    EXPECT_NE(doc.str().find(row), std::string::npos) << "docs/metrics.md lacks or differs on: " << row;
  }
}

}  // namespace
}  // namespace otq::analytics
