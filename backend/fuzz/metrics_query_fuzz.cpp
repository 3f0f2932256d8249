// Fuzz target: the metrics endpoints' query strings (schemas/metrics: read_query and parse_summary,
// parse_timeseries, parse_campaigns, parse_orders, parse_range_only), the raw text after '?'.
//
// Contract: each returns or throws otq::Error invalid_argument; what it returns is in the ranges
// the services rely on (days 1970-2199 that print back as given, limit 1-200, known platforms,
// metrics and sorts).
#include <algorithm>

#include "app/analytics/definitions.hpp"
#include "app/schemas/metrics.hpp"
#include "contract.hpp"

namespace {

using otq::ErrorCode;
using otq::fuzz::expect_client_errors;
using otq::fuzz::require;
namespace metrics = otq::schemas::metrics;

template <std::size_t N>
bool one_of(const std::string& v, const std::string_view (&set)[N]) {
  return std::find(std::begin(set), std::end(set), v) != std::end(set);
}

void check_range(const metrics::Range& r, const std::string& check) {
  for (const auto& day : {r.from, r.to}) {
    if (!day) continue;
    const std::string text = metrics::format_day(*day);
    require(metrics::parse_day(text) == day, check, "a day that does not print back: " + text);
    require(text >= "1970-01-01" && text <= "2199-12-31", check, "a day out of range: " + text);
  }
}

void check_platform(const std::optional<std::string>& p, const std::string& check) {
  require(!p || one_of(*p, metrics::kPlatforms), check, "platform " + p.value_or(""));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return otq::fuzz::run_input([&] {
    const std::string_view query = otq::fuzz::as_text(data, size);
    const auto invalid = {ErrorCode::invalid_argument};

    expect_client_errors("parse_range_only", invalid, [&] { check_range(metrics::parse_range_only(query), "range"); });
    expect_client_errors("parse_summary", invalid, [&] {
      const auto q = metrics::parse_summary(query);
      check_range(q.range, "parse_summary");
      check_platform(q.platform, "parse_summary");
    });
    expect_client_errors("parse_timeseries", invalid, [&] {
      const auto q = metrics::parse_timeseries(query);
      check_range(q.range, "parse_timeseries");
      check_platform(q.platform, "parse_timeseries");
      require(!q.metrics.empty(), "parse_timeseries", "no metrics");
      const auto defs = otq::analytics::metric_definitions();
      for (const auto& m : q.metrics) {
        require(std::count(q.metrics.begin(), q.metrics.end(), m) == 1, "parse_timeseries", "metric twice: " + m);
        require(std::any_of(defs.begin(), defs.end(), [&](const auto& d) { return d.name == m; }), "parse_timeseries",
                "unknown metric " + m);
      }
    });
    expect_client_errors("parse_campaigns", invalid, [&] {
      const auto q = metrics::parse_campaigns(query);
      check_range(q.range, "parse_campaigns");
      check_platform(q.platform, "parse_campaigns");
      require(one_of(q.sort, metrics::kCampaignSorts), "parse_campaigns", "sort " + q.sort);
      require(q.limit >= 1 && q.limit <= 200, "parse_campaigns", "limit");
      require(!q.q || (!q.q->empty() && q.q->size() <= 200), "parse_campaigns", "q");
      require(!q.cursor || (!q.cursor->empty() && q.cursor->size() <= 1024), "parse_campaigns", "cursor");
    });
    expect_client_errors("parse_orders", invalid, [&] {
      const auto q = metrics::parse_orders(query);
      check_range(q.range, "parse_orders");
      require(!q.status || one_of(*q.status, metrics::kOrderStatuses), "parse_orders", "status");
      require(q.sort == "placed_at" || q.sort == "total", "parse_orders", "sort " + q.sort);
      require(q.limit >= 1 && q.limit <= 200, "parse_orders", "limit");
    });
    // A single day, as the parsers and connectors read them.
    if (const auto day = metrics::parse_day(query)) {
      require(metrics::format_day(*day) == query, "parse_day", "a day that does not print back as given");
    }
  });
}
