// The metrics engine's arithmetic: ranges, previous periods, derived ratios, zero-filled buckets,
// pagination cursors. The sums themselves come from the rollups (models/metrics.cpp).
#include "app/services/metrics_service.hpp"

#include <algorithm>
#include <array>
#include <cmath>

#include <fmt/format.h>

#include "app/analytics/definitions.hpp"
#include "app/errors.hpp"
#include "app/security/digest.hpp"
#include "app/services/plan_limits.hpp"

namespace otq::services {
namespace {

namespace sm = schemas::metrics;
namespace mm = models::metrics;
using nlohmann::json;
using std::chrono::days;

constexpr int kMaxRangeDays = 1096;  // three years
constexpr std::size_t kMaxMissingReported = 100;
constexpr int kCsvPage = 1000;

struct Period {
  sm::Day from;
  sm::Day to;
  std::string from_text() const { return sm::format_day(from); }
  std::string to_text() const { return sm::format_day(to); }
};

// 402 when the period starts before the plan's history window.
void check_history(const Period& p, const mm::Settings& s, const schemas::billing::Catalog& plans) {
  const auto& plan = plans.find_or_free(s.plan);
  const auto start = services::plan_limits::history_start(plan, s.today);
  if (!start || p.from_text() >= *start) return;
  services::plan_limits::reached(plans, plan, "history_days",
                                 fmt::format("Your {} plan shows the last {} days (from {}); {} is earlier.", plan.name,
                                             *plan.limits.history_days, *start, p.from_text()));
}

Period resolve(const sm::Range& r, const mm::Settings& s, const schemas::billing::Catalog& plans) {
  const sm::Day today = *sm::parse_day(s.today);
  const sm::Day to = r.to.value_or(today);
  const sm::Day from = r.from.value_or(to - days(29));
  if (from > to) {
    throw Error(ErrorCode::invalid_argument,
                fmt::format("'from' must be on or before 'to' (got from={}, to={}{}).", sm::format_day(from),
                            sm::format_day(to), r.to ? "" : ", today in the account's time zone"));
  }
  if ((to - from).count() + 1 > kMaxRangeDays) {
    throw Error(ErrorCode::invalid_argument, "A range may cover at most 1096 days (three years); shorten it.");
  }
  const Period p{from, to};
  check_history(p, s, plans);
  return p;
}

Period previous_of(const Period& p) {
  const auto length = (p.to - p.from).count() + 1;
  const sm::Day prev_to = p.from - days(1);
  return {prev_to - days(length - 1), prev_to};
}

// Half away from zero; b > 0.
std::int64_t round_div(std::int64_t a, std::int64_t b) {
  const std::int64_t q = a / b, r = a % b;
  if (2 * (r < 0 ? -r : r) >= b) return q + (a < 0 ? -1 : 1);
  return q;
}

json ratio(double num, double den, int decimals) {
  if (den == 0) return nullptr;
  const double scale = std::pow(10.0, decimals);
  return std::round(num / den * scale) / scale;
}

json money_ratio(std::int64_t num, std::int64_t den) {
  if (den == 0) return nullptr;
  return round_div(num, den);
}

json value_of(const mm::Totals& t, std::string_view name) {
  if (name == "spend") return t.spend;
  if (name == "revenue") return t.revenue;
  if (name == "refunds") return t.refunds;
  if (name == "net_revenue") return t.revenue - t.refunds;
  if (name == "orders") return t.orders;
  if (name == "aov") return money_ratio(t.revenue, t.orders);
  if (name == "roas") return ratio(static_cast<double>(t.revenue), static_cast<double>(t.spend), 4);
  if (name == "mer") return ratio(static_cast<double>(t.revenue - t.refunds), static_cast<double>(t.spend), 4);
  if (name == "new_customers") return t.new_customers;
  if (name == "returning_customers") return t.returning_customers ? json(*t.returning_customers) : json(nullptr);
  if (name == "ncac") return money_ratio(t.spend, t.new_customers);
  if (name == "impressions") return t.impressions;
  if (name == "clicks") return t.clicks;
  if (name == "ctr") return ratio(static_cast<double>(t.clicks), static_cast<double>(t.impressions), 6);
  if (name == "cpc") return money_ratio(t.spend, t.clicks);
  if (name == "cpm") return money_ratio(t.spend * 1000, t.impressions);
  if (name == "conversions") return std::round(t.conversions * 10000) / 10000;
  if (name == "conversion_value") return t.conversion_value;
  if (name == "platform_roas") return ratio(static_cast<double>(t.conversion_value), static_cast<double>(t.spend), 4);
  return nullptr;
}

json compared(const json& value, const json& previous) {
  json out = {{"value", value}, {"previous", previous}, {"delta", nullptr}, {"delta_relative", nullptr}};
  if (value.is_null() || previous.is_null()) return out;
  if (value.is_number_integer() && previous.is_number_integer()) {
    out["delta"] = value.get<std::int64_t>() - previous.get<std::int64_t>();
  } else {
    out["delta"] = std::round((value.get<double>() - previous.get<double>()) * 1e6) / 1e6;
  }
  const double p = previous.get<double>();
  if (p != 0) out["delta_relative"] = std::round((value.get<double>() - p) / std::fabs(p) * 1e4) / 1e4;
  return out;
}

json missing_json(const std::set<mm::MissingRate>& missing, const std::string& to) {
  json out = json::array();
  for (const auto& [currency, date] : missing) {
    if (out.size() == kMaxMissingReported) break;
    out.push_back({{"from", currency}, {"to", to}, {"date", date}});
  }
  return out;
}

mm::Totals totals_of(const mm::Aggregate& a, const std::string& start) {
  const auto it = a.buckets.find({start, "all"});
  mm::Totals t = it == a.buckets.end() ? mm::Totals{} : it->second;
  return t;
}

// Everything an answer depends on besides the query: the account, its data and FX versions, and
// its zone and reporting currency (a currency change bumps no rollup).
std::string cache_key(std::string_view kind, const AuthContext& ctx, const mm::Settings& s, const std::string& query) {
  return fmt::format("{}|{}|{}|{}|{}|{}|{}", kind, ctx.scope.account_id(), s.version, s.fx_version, s.timezone,
                     s.currency, query);
}

std::string fingerprint(const std::string& text) {
  return security::sha256_hex(text).substr(0, 16);
}

// Reads a sealed cursor "kind|account|fingerprint|rest"; throws when it is not one of ours for
// this account and filter.
std::string open_cursor(const security::Sealer& sealer, const std::string& cursor, const std::string& prefix) {
  const auto plain = sealer.open(cursor);
  if (!plain || !plain->starts_with(prefix)) {
    throw Error(ErrorCode::invalid_argument,
                "The cursor is not valid for this list and filter; start again without it.");
  }
  return plain->substr(prefix.size());
}

// Bucket starts (clipped to the range) and their last days.
std::vector<std::pair<sm::Day, sm::Day>> buckets_of(const Period& p, sm::Interval interval) {
  std::vector<std::pair<sm::Day, sm::Day>> out;
  sm::Day start = p.from;
  while (start <= p.to) {
    sm::Day next;
    if (interval == sm::Interval::day) {
      next = start + days(1);
    } else if (interval == sm::Interval::week) {
      const unsigned iso = std::chrono::weekday{start}.iso_encoding();  // Monday = 1
      next = start + days(8 - iso);
    } else {
      const std::chrono::year_month_day ymd{start};
      next = std::chrono::sys_days{(ymd.year() / ymd.month() / 1) + std::chrono::months{1}};
    }
    out.emplace_back(start, std::min(next - days(1), p.to));
    start = next;
  }
  return out;
}

mm::Bucket bucket_of(sm::Interval i) {
  switch (i) {
    case sm::Interval::day: return mm::Bucket::day;
    case sm::Interval::week: return mm::Bucket::week;
    case sm::Interval::month: return mm::Bucket::month;
  }
  return mm::Bucket::day;
}

const char* interval_name(sm::Interval i) {
  switch (i) {
    case sm::Interval::day: return "day";
    case sm::Interval::week: return "week";
    case sm::Interval::month: return "month";
  }
  return "day";
}

// Which rollups a set of metrics needs.
mm::Parts parts_for(const std::vector<std::string>& metrics) {
  mm::Parts p{false, false, false, false};
  for (const auto& m : metrics) {
    if (m == "spend" || m == "impressions" || m == "clicks" || m == "ctr" || m == "cpc" || m == "cpm" ||
        m == "conversions" || m == "conversion_value" || m == "platform_roas") {
      p.spend = true;
    } else if (m == "refunds") {
      p.refunds = true;
    } else if (m == "net_revenue" || m == "mer") {
      p.refunds = p.orders = true;
      if (m == "mer") p.spend = true;
    } else if (m == "roas") {
      p.orders = p.spend = true;
    } else if (m == "ncac") {
      p.orders = p.spend = true;
    } else if (m == "returning_customers") {
      p.returning = true;
    } else {
      p.orders = true;
    }
  }
  return p;
}

json order_json(const mm::Order& o) {
  return {{"id", o.public_id},
          {"number", o.number ? json(*o.number) : json(nullptr)},
          {"placed_at", o.placed_at},
          {"placed_at_local", o.placed_at_local},
          {"customer",
           {{"email", o.email ? json(metrics_format::mask_email(*o.email)) : json(nullptr)},
            {"type", o.customer_type ? json(*o.customer_type) : json(nullptr)}}},
          {"currency", o.currency},
          {"total", o.total},
          {"refunds", o.refunds},
          {"net", o.total - o.refunds},
          {"status", o.status},
          {"financial_status", o.financial_status ? json(*o.financial_status) : json(nullptr)},
          {"fulfillment_status", o.fulfillment_status ? json(*o.fulfillment_status) : json(nullptr)},
          {"source",
           {{"name", o.source_name ? json(*o.source_name) : json(nullptr)},
            {"utm_source", o.utm_source ? json(*o.utm_source) : json(nullptr)},
            {"utm_medium", o.utm_medium ? json(*o.utm_medium) : json(nullptr)},
            {"utm_campaign", o.utm_campaign ? json(*o.utm_campaign) : json(nullptr)},
            {"channel", o.channel}}}};
}

}  // namespace

namespace metrics_format {

std::string mask_email(std::string_view email) {
  const auto at = email.rfind('@');
  if (at == std::string_view::npos || at == 0) return "***";
  return std::string(email.substr(0, 1)) + "***" + std::string(email.substr(at));
}

int currency_exponent(std::string_view c) {
  static constexpr std::array<std::string_view, 17> zero{"BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG",
                                                         "RWF", "UGX", "UYI", "VND", "VUV", "XAF", "XOF", "XPF"};
  static constexpr std::array<std::string_view, 7> three{"BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"};
  if (std::find(zero.begin(), zero.end(), c) != zero.end()) return 0;
  if (std::find(three.begin(), three.end(), c) != three.end()) return 3;
  if (c == "CLF" || c == "UYW") return 4;
  return 2;
}

std::string major_units(std::int64_t minor, std::string_view currency) {
  const int e = currency_exponent(currency);
  const bool negative = minor < 0;
  const std::uint64_t abs = negative ? 0 - static_cast<std::uint64_t>(minor) : static_cast<std::uint64_t>(minor);
  if (e == 0) return fmt::format("{}{}", negative ? "-" : "", abs);
  std::uint64_t scale = 1;
  for (int i = 0; i < e; ++i) scale *= 10;
  return fmt::format("{}{}.{:0{}}", negative ? "-" : "", abs / scale, abs % scale, e);
}

std::string csv_field(std::string_view text) {
  std::string value(text);
  if (!value.empty() && (value[0] == '=' || value[0] == '+' || value[0] == '-' || value[0] == '@' || value[0] == '\t' ||
                         value[0] == '\r')) {
    value.insert(value.begin(), '\'');
  }
  if (value.find_first_of(",\"\r\n") == std::string::npos) return value;
  std::string out = "\"";
  for (char c : value) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

}  // namespace metrics_format

MetricsService::MetricsService(db::Pool& pool, const schemas::billing::Catalog& plans, security::Sealer cursors,
                               std::size_t cache_bytes)
    : pool_(pool), plans_(plans), cursors_(std::move(cursors)), cache_(std::make_unique<ResponseCache>(cache_bytes)) {}

json MetricsService::summary(const AuthContext& ctx, const sm::SummaryQuery& q) {
  const auto s = settings(ctx);
  const Period cur = resolve(q.range, s, plans_);
  const auto key =
      cache_key("summary", ctx, s,
                fmt::format("{}|{}|{}|{}", cur.from_text(), cur.to_text(), q.compare, q.platform.value_or("")));
  if (const auto hit = cache_->get(key)) return *hit;
  return pool_.read([&](pqxx::read_transaction& tx) -> json {
    mm::Filter f{cur.from_text(), cur.to_text(), s.currency, q.platform, false};
    const mm::Parts all;
    const auto now = mm::aggregate(tx, ctx.scope, f, mm::Bucket::whole, all);
    auto t = totals_of(now, f.from);
    if (!q.platform && !t.returning_customers) t.returning_customers = 0;
    std::set<mm::MissingRate> missing = now.missing_rates;

    std::optional<Period> prev;
    mm::Totals p;
    if (q.compare) {
      prev = previous_of(cur);
      check_history(*prev, s, plans_);
      mm::Filter pf{prev->from_text(), prev->to_text(), s.currency, q.platform, false};
      const auto before = mm::aggregate(tx, ctx.scope, pf, mm::Bucket::whole, all);
      p = totals_of(before, pf.from);
      if (!q.platform && !p.returning_customers) p.returning_customers = 0;
      missing.insert(before.missing_rates.begin(), before.missing_rates.end());
    }
    json metrics = json::object();
    for (const auto& d : analytics::metric_definitions()) {
      const auto value = value_of(t, d.name);
      metrics[std::string(d.name)] = q.compare ? compared(value, value_of(p, d.name)) : json{{"value", value}};
    }
    json out{{"data",
              {{"from", f.from},
               {"to", f.to},
               {"timezone", s.timezone},
               {"currency", s.currency},
               {"platform", q.platform ? json(*q.platform) : json(nullptr)},
               {"compare", prev ? json{{"from", prev->from_text()}, {"to", prev->to_text()}} : json(nullptr)},
               {"metrics", metrics},
               {"missing_fx_rates", missing_json(missing, s.currency)}}}};
    cache_->put(key, out);
    return out;
  });
}

json MetricsService::timeseries(const AuthContext& ctx, const sm::TimeseriesQuery& q) {
  const auto s = settings(ctx);
  const Period cur = resolve(q.range, s, plans_);
  std::string metric_list;
  for (const auto& m : q.metrics) metric_list += m + ",";
  const auto key = cache_key("timeseries", ctx, s,
                             fmt::format("{}|{}|{}|{}|{}|{}", cur.from_text(), cur.to_text(), interval_name(q.interval),
                                         metric_list, q.group_by_platform, q.platform.value_or("")));
  if (const auto hit = cache_->get(key)) return *hit;
  return pool_.read([&](pqxx::read_transaction& tx) -> json {
    mm::Filter f{cur.from_text(), cur.to_text(), s.currency, q.platform, q.group_by_platform};
    const auto agg = mm::aggregate(tx, ctx.scope, f, bucket_of(q.interval), parts_for(q.metrics));
    std::vector<std::string> groups;
    if (!q.group_by_platform) {
      groups.emplace_back("all");
    } else {
      for (auto p : sm::kPlatforms) {
        if (!q.platform || *q.platform == p) groups.emplace_back(p);
      }
      if (!q.platform) groups.emplace_back(sm::kUnattributed);
    }
    const bool returning_known = !q.platform && !q.group_by_platform;
    json series = json::array();
    const auto buckets = buckets_of(cur, q.interval);
    for (const auto& g : groups) {
      json points = json::array();
      for (const auto& [start, end] : buckets) {
        const auto bucket = std::make_pair(sm::format_day(start), g);
        const auto it = agg.buckets.find(bucket);
        mm::Totals t = it == agg.buckets.end() ? mm::Totals{} : it->second;
        if (returning_known && !t.returning_customers) t.returning_customers = 0;
        json point = {{"start", bucket.first}, {"end", sm::format_day(end)}};
        for (const auto& m : q.metrics) point[m] = value_of(t, m);
        points.push_back(std::move(point));
      }
      series.push_back({{"key", g}, {"points", std::move(points)}});
    }
    json out{{"data",
              {{"from", f.from},
               {"to", f.to},
               {"interval", interval_name(q.interval)},
               {"timezone", s.timezone},
               {"currency", s.currency},
               {"metrics", q.metrics},
               {"group_by", q.group_by_platform ? json("platform") : json(nullptr)},
               {"series", std::move(series)},
               {"missing_fx_rates", missing_json(agg.missing_rates, s.currency)}}}};
    cache_->put(key, out);
    return out;
  });
}

json MetricsService::campaigns(const AuthContext& ctx, const sm::CampaignsQuery& q) {
  const auto s = settings(ctx);
  return pool_.read([&](pqxx::read_transaction& tx) -> json {
    const Period cur = resolve(q.range, s, plans_);
    mm::CampaignFilter f;
    f.range = mm::Filter{cur.from_text(), cur.to_text(), s.currency, q.platform, false};
    f.q = q.q;
    f.sort = q.sort;
    f.descending = q.descending;
    f.limit = q.limit;
    const std::string prefix =
        fmt::format("campaigns|{}|{}|", ctx.account_public_id,
                    fingerprint(fmt::format("{}|{}|{}|{}|{}|{}", f.range.from, f.range.to, q.platform.value_or(""),
                                            q.sort, q.descending, q.q.value_or(""))));
    if (q.cursor) {
      const auto rest = open_cursor(cursors_, *q.cursor, prefix);
      try {
        f.offset = std::stoll(rest);
      } catch (const std::exception&) {
        throw Error(ErrorCode::invalid_argument, "The cursor is not valid here; start again without it.");
      }
    }
    const auto key = cache_key("campaigns", ctx, s, fmt::format("{}|{}|{}", prefix, f.offset, f.limit));
    if (const auto hit = cache_->get(key)) return *hit;
    const auto page = mm::campaigns(tx, ctx.scope, f);
    json rows = json::array();
    for (const auto& c : page.rows) {
      json row = {{"platform", c.platform},
                  {"campaign_id", c.campaign_id},
                  {"ad_account_id", c.ad_account_id},
                  {"name", c.name}};
      for (auto m : {"spend", "impressions", "clicks", "ctr", "cpc", "cpm", "conversions", "conversion_value",
                     "platform_roas"}) {
        row[m] = value_of(c.totals, m);
      }
      row["share_of_spend"] = ratio(static_cast<double>(c.totals.spend), static_cast<double>(page.totals.spend), 4);
      rows.push_back(std::move(row));
    }
    json totals = {{"campaigns", page.total_count}};
    for (auto m :
         {"spend", "impressions", "clicks", "ctr", "cpc", "cpm", "conversions", "conversion_value", "platform_roas"}) {
      totals[m] = value_of(page.totals, m);
    }
    const std::int64_t next = f.offset + static_cast<std::int64_t>(page.rows.size());
    json next_cursor = nullptr;
    if (next < page.total_count) next_cursor = cursors_.seal(prefix + std::to_string(next));
    json out{{"data", std::move(rows)},
             {"totals", std::move(totals)},
             {"next_cursor", next_cursor},
             {"from", f.range.from},
             {"to", f.range.to},
             {"currency", s.currency},
             {"missing_fx_rates", missing_json(page.missing_rates, s.currency)}};
    cache_->put(key, out);
    return out;
  });
}

namespace {

struct OrdersPlan {
  mm::OrderFilter filter;
  std::string prefix;  ///< cursor prefix bound to the account and filter
};

OrdersPlan plan_orders(const security::Sealer& sealer, const AuthContext& ctx, const sm::OrdersQuery& q,
                       const mm::Settings& s, const schemas::billing::Catalog& plans) {
  const Period cur = resolve(q.range, s, plans);
  OrdersPlan plan;
  auto& f = plan.filter;
  f.timezone = s.timezone;
  f.from = cur.from_text();
  f.to = cur.to_text();
  f.status = q.status;
  f.q = q.q;
  f.by_total = q.sort == "total";
  f.descending = q.descending;
  f.limit = q.limit;
  plan.prefix = fmt::format("orders|{}|{}|", ctx.account_public_id,
                            fingerprint(fmt::format("{}|{}|{}|{}|{}|{}", f.from, f.to, q.status.value_or(""), q.sort,
                                                    q.descending, q.q.value_or(""))));
  if (q.cursor) {
    const auto rest = open_cursor(sealer, *q.cursor, plan.prefix);
    const auto bar = rest.rfind('|');
    try {
      if (bar == std::string::npos) throw std::invalid_argument("cursor");
      f.after = std::make_pair(rest.substr(0, bar), std::stoll(rest.substr(bar + 1)));
    } catch (const std::exception&) {
      throw Error(ErrorCode::invalid_argument, "The cursor is not valid here; start again without it.");
    }
  }
  return plan;
}

std::string after_key(const mm::Order& o, bool by_total) {
  return by_total ? std::to_string(o.total) : o.placed_at;
}

}  // namespace

mm::Settings MetricsService::settings(const AuthContext& ctx) {
  // Read before (and outside) the transaction that computes an answer, so that answer is at least
  // as new as the versions it is cached under.
  return pool_.once([&](pqxx::nontransaction& tx) { return mm::settings(tx, ctx.scope); });
}

json MetricsService::orders(const AuthContext& ctx, const sm::OrdersQuery& q) {
  return pool_.read([&](pqxx::read_transaction& tx) {
    const auto s = mm::settings(tx, ctx.scope);
    auto plan = plan_orders(cursors_, ctx, q, s, plans_);
    plan.filter.limit = q.limit + 1;
    auto rows = mm::orders(tx, ctx.scope, plan.filter);
    json next_cursor = nullptr;
    if (static_cast<int>(rows.size()) > q.limit) {
      rows.pop_back();
      const auto& last = rows.back();
      next_cursor = cursors_.seal(fmt::format("{}{}|{}", plan.prefix, after_key(last, plan.filter.by_total), last.id));
    }
    json data = json::array();
    for (const auto& o : rows) data.push_back(order_json(o));
    return json{{"data", std::move(data)},
                {"next_cursor", next_cursor},
                {"from", plan.filter.from},
                {"to", plan.filter.to},
                {"timezone", s.timezone}};
  });
}

std::function<void(const ChunkWriter&)> MetricsService::orders_csv(const AuthContext& ctx, const sm::OrdersQuery& q) {
  if (q.cursor) throw Error(ErrorCode::invalid_argument, "The CSV export takes no cursor: it returns every order.");
  const auto s = settings(ctx);
  auto plan = plan_orders(cursors_, ctx, q, s, plans_);
  plan.filter.limit = kCsvPage;
  // A slot for the whole stream; released when the producer is destroyed (written or abandoned).
  if (exports_running_->fetch_add(1) >= kMaxConcurrentExports) {
    exports_running_->fetch_sub(1);
    throw Error(ErrorCode::rate_limited, "Other exports are running on this server; try again in a minute.")
        .retry_after(30);
  }
  auto slot = std::shared_ptr<void>(nullptr, [running = exports_running_](void*) { running->fetch_sub(1); });
  // Runs after the headers are sent, on the same worker; each page is its own short read.
  return [this, slot, scope = ctx.scope, filter = plan.filter](const ChunkWriter& write) mutable {
    using metrics_format::csv_field;
    using metrics_format::major_units;
    if (!write("order_id,number,placed_at,placed_at_utc,customer,customer_type,currency,total,refunds,net,status,"
               "financial_status,fulfillment_status,source_name,utm_source,utm_medium,utm_campaign,channel\r\n")) {
      return;
    }
    for (;;) {
      const auto rows = pool_.read([&](pqxx::read_transaction& tx) { return mm::orders(tx, scope, filter); });
      std::string chunk;
      chunk.reserve(rows.size() * 200);
      for (const auto& o : rows) {
        const auto text = [](const std::optional<std::string>& v) { return csv_field(v.value_or("")); };
        chunk +=
            fmt::format("{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}\r\n", o.public_id, text(o.number),
                        o.placed_at_local, o.placed_at, csv_field(o.email ? metrics_format::mask_email(*o.email) : ""),
                        o.customer_type.value_or(""), o.currency, major_units(o.total, o.currency),
                        major_units(o.refunds, o.currency), major_units(o.total - o.refunds, o.currency), o.status,
                        text(o.financial_status), text(o.fulfillment_status), text(o.source_name), text(o.utm_source),
                        text(o.utm_medium), text(o.utm_campaign), o.channel);
      }
      if (!chunk.empty() && !write(std::move(chunk))) return;
      if (static_cast<int>(rows.size()) < filter.limit) return;
      filter.after = std::make_pair(after_key(rows.back(), filter.by_total), rows.back().id);
    }
  };
}

json MetricsService::channels(const AuthContext& ctx, const sm::Range& range) {
  const auto s = settings(ctx);
  const Period cur = resolve(range, s, plans_);
  const auto key = cache_key("channels", ctx, s, fmt::format("{}|{}", cur.from_text(), cur.to_text()));
  if (const auto hit = cache_->get(key)) return *hit;
  return pool_.read([&](pqxx::read_transaction& tx) -> json {
    mm::Filter f{cur.from_text(), cur.to_text(), s.currency, std::nullopt, true};
    mm::Parts parts;
    parts.returning = false;
    const auto agg = mm::aggregate(tx, ctx.scope, f, mm::Bucket::whole, parts);
    json rows = json::array();
    mm::Totals all;
    std::vector<std::string> channels(std::begin(sm::kPlatforms), std::end(sm::kPlatforms));
    channels.emplace_back(sm::kUnattributed);
    for (const auto& c : channels) {
      const auto it = agg.buckets.find({f.from, c});
      const mm::Totals t = it == agg.buckets.end() ? mm::Totals{} : it->second;
      all.spend += t.spend;
      all.orders += t.orders;
      all.revenue += t.revenue;
      all.refunds += t.refunds;
      all.new_customers += t.new_customers;
      all.conversion_value += t.conversion_value;
      json row = {{"channel", c}};
      for (auto m : {"spend", "orders", "revenue", "refunds", "net_revenue", "new_customers", "aov", "roas", "ncac",
                     "conversion_value", "platform_roas"}) {
        row[m] = value_of(t, m);
      }
      rows.push_back(std::move(row));
    }
    json totals = json::object();
    for (auto m : {"spend", "orders", "revenue", "refunds", "net_revenue", "new_customers", "aov", "roas", "ncac",
                   "conversion_value", "platform_roas"}) {
      totals[m] = value_of(all, m);
    }
    json out{{"data", std::move(rows)},
             {"totals", std::move(totals)},
             {"from", f.from},
             {"to", f.to},
             {"timezone", s.timezone},
             {"currency", s.currency},
             {"missing_fx_rates", missing_json(agg.missing_rates, s.currency)}};
    cache_->put(key, out);
    return out;
  });
}

}  // namespace otq::services
