// Strict parsing of the metrics endpoints' query strings.
#include "app/schemas/metrics.hpp"

#include <algorithm>
#include <charconv>

#include <fmt/format.h>

#include "app/analytics/definitions.hpp"
#include "app/errors.hpp"
#include "app/http/message.hpp"

namespace otq::schemas::metrics {
namespace {

[[noreturn]] void bad(std::string message) {
  throw Error(ErrorCode::invalid_argument, std::move(message));
}

template <std::size_t N>
bool one_of(std::string_view value, const std::string_view (&set)[N]) {
  return std::find(std::begin(set), std::end(set), value) != std::end(set);
}

template <std::size_t N>
std::string list(const std::string_view (&set)[N]) {
  std::string out;
  for (const auto& s : set) {
    if (!out.empty()) out += ", ";
    out += s;
  }
  return out;
}

std::optional<std::string> get(const Params& p, std::string_view name) {
  const auto it = p.find(name);
  if (it == p.end()) return std::nullopt;
  return it->second;
}

Range range_of(const Params& p) {
  Range r;
  for (const auto* name : {"from", "to"}) {
    if (auto v = get(p, name)) {
      auto day = parse_day(*v);
      if (!day) bad(fmt::format("'{}' must be a date as YYYY-MM-DD, such as 2026-03-01.", name));
      (std::string_view(name) == "from" ? r.from : r.to) = day;
    }
  }
  return r;
}

std::optional<std::string> platform_of(const Params& p) {
  auto v = get(p, "platform");
  if (v && !one_of(*v, kPlatforms)) bad(fmt::format("'platform' must be one of: {}.", list(kPlatforms)));
  return v;
}

bool descending_of(const Params& p) {
  const auto v = get(p, "order");
  if (!v) return true;
  if (*v == "desc") return true;
  if (*v == "asc") return false;
  bad("'order' must be asc or desc.");
}

int limit_of(const Params& p) {
  const auto v = get(p, "limit");
  if (!v) return 50;
  int n = 0;
  const auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
  if (ec != std::errc{} || end != v->data() + v->size() || n < 1 || n > 200) {
    bad("'limit' must be a whole number from 1 to 200.");
  }
  return n;
}

std::optional<std::string> q_of(const Params& p) {
  auto v = get(p, "q");
  if (v && v->size() > 200) bad("'q' is limited to 200 characters.");
  if (v && v->empty()) return std::nullopt;
  return v;
}

std::optional<std::string> cursor_of(const Params& p) {
  auto v = get(p, "cursor");
  if (v && (v->empty() || v->size() > 1024)) bad("The cursor is not valid here; start again without it.");
  return v;
}

}  // namespace

std::optional<Day> parse_day(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  int y = 0;
  unsigned m = 0, d = 0;
  auto num = [&](std::size_t at, std::size_t len, auto& out) {
    const auto [end, ec] = std::from_chars(text.data() + at, text.data() + at + len, out);
    return ec == std::errc{} && end == text.data() + at + len;
  };
  if (!num(0, 4, y) || !num(5, 2, m) || !num(8, 2, d)) return std::nullopt;
  const std::chrono::year_month_day ymd{std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{d}};
  if (!ymd.ok() || y < 1970 || y > 2199) return std::nullopt;
  return std::chrono::sys_days{ymd};
}

std::string format_day(Day day) {
  const std::chrono::year_month_day ymd{day};
  return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                     static_cast<unsigned>(ymd.day()));
}

Params read_query(std::string_view query, std::initializer_list<std::string_view> allowed) {
  Params out;
  std::string_view rest = query;
  while (!rest.empty()) {
    const auto amp = rest.find('&');
    const std::string_view pair = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view{} : rest.substr(amp + 1);
    if (pair.empty()) continue;
    const auto eq = pair.find('=');
    const auto key = http::percent_decode(pair.substr(0, eq), true);
    const auto value = http::percent_decode(eq == std::string_view::npos ? "" : pair.substr(eq + 1), true);
    if (!key || !value) bad("The query string has a bad %-escape.");
    if (std::find(allowed.begin(), allowed.end(), *key) == allowed.end()) {
      std::string names;
      for (const auto& a : allowed) names += (names.empty() ? "" : ", ") + std::string(a);
      bad(fmt::format("Unknown query parameter '{}'. This endpoint accepts: {}.", key->substr(0, 64), names));
    }
    if (!out.emplace(*key, *value).second) bad(fmt::format("Query parameter '{}' is given more than once.", *key));
  }
  return out;
}

Range parse_range_only(std::string_view query) {
  return range_of(read_query(query, {"from", "to"}));
}

SummaryQuery parse_summary(std::string_view query) {
  const auto p = read_query(query, {"from", "to", "compare", "platform"});
  SummaryQuery q;
  q.range = range_of(p);
  if (const auto c = get(p, "compare")) {
    if (*c == "previous_period") {
      q.compare = true;
    } else if (*c != "none") {
      bad("'compare' must be previous_period or none.");
    }
  }
  q.platform = platform_of(p);
  return q;
}

TimeseriesQuery parse_timeseries(std::string_view query) {
  const auto p = read_query(query, {"from", "to", "interval", "metrics", "group_by", "platform"});
  TimeseriesQuery q;
  q.range = range_of(p);
  const auto interval = get(p, "interval").value_or("day");
  if (interval == "day") {
    q.interval = Interval::day;
  } else if (interval == "week") {
    q.interval = Interval::week;
  } else if (interval == "month") {
    q.interval = Interval::month;
  } else {
    bad("'interval' must be day, week or month.");
  }
  const std::string requested = get(p, "metrics").value_or(std::string(kDefaultSeriesMetrics));
  std::string_view names = requested;
  if (names.empty()) bad("'metrics' must name at least one metric, such as revenue,spend.");
  while (!names.empty()) {
    const auto comma = names.find(',');
    const std::string name(names.substr(0, comma));
    names = comma == std::string_view::npos ? std::string_view{} : names.substr(comma + 1);
    const auto defs = analytics::metric_definitions();
    if (std::none_of(defs.begin(), defs.end(), [&](const auto& d) { return d.name == name; })) {
      bad(fmt::format("Unknown metric '{}'; GET /api/v1/metrics/definitions lists them.", name.substr(0, 64)));
    }
    if (std::find(q.metrics.begin(), q.metrics.end(), name) == q.metrics.end()) q.metrics.push_back(name);
  }
  if (const auto g = get(p, "group_by")) {
    if (*g != "platform") bad("'group_by' must be platform (or left out).");
    q.group_by_platform = true;
  }
  q.platform = platform_of(p);
  return q;
}

CampaignsQuery parse_campaigns(std::string_view query) {
  const auto p = read_query(query, {"from", "to", "platform", "sort", "order", "q", "limit", "cursor"});
  CampaignsQuery q;
  q.range = range_of(p);
  q.platform = platform_of(p);
  if (auto s = get(p, "sort")) {
    if (!one_of(*s, kCampaignSorts)) bad(fmt::format("'sort' must be one of: {}.", list(kCampaignSorts)));
    q.sort = *s;
  }
  q.descending = get(p, "order") ? descending_of(p) : q.sort != "name";
  q.q = q_of(p);
  q.limit = limit_of(p);
  q.cursor = cursor_of(p);
  return q;
}

OrdersQuery parse_orders(std::string_view query) {
  const auto p = read_query(query, {"from", "to", "status", "q", "sort", "order", "limit", "cursor"});
  OrdersQuery q;
  q.range = range_of(p);
  q.status = get(p, "status");
  if (q.status && !one_of(*q.status, kOrderStatuses)) {
    bad(fmt::format("'status' must be one of: {}.", list(kOrderStatuses)));
  }
  if (auto s = get(p, "sort")) {
    if (*s != "placed_at" && *s != "total") bad("'sort' must be placed_at or total.");
    q.sort = *s;
  }
  q.descending = descending_of(p);
  q.q = q_of(p);
  q.limit = limit_of(p);
  q.cursor = cursor_of(p);
  return q;
}

}  // namespace otq::schemas::metrics
