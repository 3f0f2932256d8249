// The metric contract (PRODUCT.md "Metric definitions"): one table, served by
// GET /api/v1/metrics/definitions and mirrored in docs/metrics.md (a test keeps them equal).
#pragma once

#include <optional>
#include <span>
#include <string_view>

namespace otq::analytics {

enum class Unit { money, count, ratio, percent };

struct MetricDefinition {
  std::string_view name;     ///< snake_case key used in every metrics response
  std::string_view label;    ///< what a dashboard shows
  std::string_view formula;  ///< in symbols, e.g. "revenue / spend"
  std::string_view meaning;  ///< in words, including what is excluded
  Unit unit;
  std::optional<bool> higher_is_better;  ///< nullopt: neither (spend)
};

std::span<const MetricDefinition> metric_definitions();
std::string_view unit_name(Unit unit);

}  // namespace otq::analytics
