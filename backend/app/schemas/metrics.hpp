// Query parameters of /api/v1/metrics/*: parsed strictly (unknown or repeated names are refused).
#pragma once

#include <chrono>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace otq::schemas::metrics {

/// A calendar day (no time zone of its own: the account's reporting zone gives it one).
using Day = std::chrono::sys_days;

/// Parses YYYY-MM-DD; nullopt unless it is a real calendar date between 1970 and 2199.
std::optional<Day> parse_day(std::string_view text);
std::string format_day(Day day);

/// The query string as name → decoded value. Throws invalid_argument for a name not in `allowed`,
/// a repeated name, or a bad %-escape, naming the parameter.
using Params = std::map<std::string, std::string, std::less<>>;
Params read_query(std::string_view query, std::initializer_list<std::string_view> allowed);

/// The ad platforms (also the paid channels); orders without a paid UTM source are "unattributed".
inline constexpr std::string_view kPlatforms[] = {"facebook_ads", "google_ads", "tiktok_ads"};
inline constexpr std::string_view kUnattributed = "unattributed";

/// `from`/`to` as given; the service fills defaults in the account's time zone and checks them.
struct Range {
  std::optional<Day> from;
  std::optional<Day> to;
};

struct SummaryQuery {
  Range range;
  bool compare = false;  ///< compare=previous_period
  std::optional<std::string> platform;
};

enum class Interval { day, week, month };

struct TimeseriesQuery {
  Range range;
  Interval interval = Interval::day;
  std::vector<std::string> metrics;  ///< names from the definitions table, in the order asked
  bool group_by_platform = false;
  std::optional<std::string> platform;
};

struct CampaignsQuery {
  Range range;
  std::optional<std::string> platform;
  std::string sort = "spend";
  bool descending = true;
  std::optional<std::string> q;
  int limit = 50;
  std::optional<std::string> cursor;
};

struct OrdersQuery {
  Range range;
  std::optional<std::string> status;
  std::optional<std::string> q;
  std::string sort = "placed_at";  ///< placed_at | total
  bool descending = true;
  int limit = 50;
  std::optional<std::string> cursor;
};

/// The order statuses a list can be filtered by (`status` of each order in the response).
inline constexpr std::string_view kOrderStatuses[] = {"paid",     "pending", "authorized", "partially_refunded",
                                                      "refunded", "voided",  "cancelled",  "test"};

/// Metrics the time series can return (every definition; summary-only ones are all summable).
inline constexpr std::string_view kDefaultSeriesMetrics = "revenue,spend,roas,orders";

/// Sort keys of the campaigns list.
inline constexpr std::string_view kCampaignSorts[] = {
    "spend", "impressions", "clicks", "ctr", "cpc", "cpm", "conversions", "conversion_value", "platform_roas", "name"};

Range parse_range_only(std::string_view query);  ///< from, to (channels)
SummaryQuery parse_summary(std::string_view query);
TimeseriesQuery parse_timeseries(std::string_view query);
CampaignsQuery parse_campaigns(std::string_view query);
OrdersQuery parse_orders(std::string_view query);

}  // namespace otq::schemas::metrics
