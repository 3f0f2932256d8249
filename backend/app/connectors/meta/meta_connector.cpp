// Meta insights sync: windows of at most 30 days, cursor pagination followed to the end, each
// page upserted, the stream's cursor advanced only when a window is complete.
#include "app/connectors/meta/meta_connector.hpp"

#include <algorithm>
#include <chrono>
#include <future>
#include <limits>
#include <utility>

#include <fmt/format.h>
#include <simdjson.h>

#include "app/connectors/money.hpp"
#include "app/json_input.hpp"
#include "app/logging.hpp"
#include "app/schemas/metrics.hpp"

namespace otq::connectors::meta {
namespace {

using nlohmann::json;
using schemas::ingest::SpendRow;

constexpr int kWindowDays = 30;
constexpr const char* kFields =
    "account_id,account_currency,campaign_id,campaign_name,spend,impressions,clicks,actions,action_values,date_start,"
    "date_stop";
constexpr int kMaxHistoryDays = 37 * 31;  // Meta keeps 37 months of insights

// Days as the metrics schema reads and writes them (YYYY-MM-DD). Ours (cursors, today) always parse.
std::chrono::sys_days parse_day(const std::string& s) {
  return schemas::metrics::parse_day(s).value();
}
using schemas::metrics::format_day;

std::string text_of(const json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number()) return v.dump();
  return {};
}

namespace od = simdjson::ondemand;

// A scalar as text: a string's contents, a number as Meta wrote it; anything else (null, an
// object) is empty. Throws simdjson_error when the text is not JSON.
std::string scalar_text(od::value v) {
  switch (v.type().value()) {
    case od::json_type::string: return std::string(v.get_string().value());
    case od::json_type::number: {
      std::string_view raw = v.raw_json_token();
      while (!raw.empty() && (raw.back() == ' ' || raw.back() == '\n' || raw.back() == '\r' || raw.back() == '\t')) {
        raw.remove_suffix(1);
      }
      return std::string(raw);
    }
    default: return {};
  }
}

// The value of `type` in an actions / action_values array; a missing entry is zero.
std::string action_value(od::value list, const std::string& type) {
  std::string found;
  if (list.type().value() != od::json_type::array) return "0";
  for (auto element : list.get_array()) {
    od::value entry = element.value();
    if (entry.type().value() != od::json_type::object) continue;
    std::string action_type, value;
    for (auto field : entry.get_object()) {
      const std::string_view key = field.unescaped_key().value();
      if (key == "action_type") {
        action_type = scalar_text(field.value());
      } else if (key == "value") {
        value = scalar_text(field.value());
      }
    }
    if (found.empty() && action_type == type) found = value.empty() ? "0" : value;  // the first entry counts
  }
  return found.empty() ? "0" : found;
}

std::int64_t count_of(const std::string& text) {
  const auto v = decimal_to_minor(text, 0);
  return v && *v > 0 ? *v : 0;
}

std::string with_act(std::string id) {
  return id.starts_with("act_") ? id : "act_" + id;
}

// One request with the token; Meta's errors as NeedsUser / Transient.
HttpResponse send(HttpClient& http, HttpRequest req, const std::string& token, const RetryPolicy& policy = {}) {
  req.headers.emplace_back("Authorization", "Bearer " + token);
  HttpResponse res;
  try {
    res = http.send(req, policy);
  } catch (const HttpFailure& f) {
    throw Transient(fmt::format("Meta could not be reached: {}", f.message), f.retry_after);
  }
  if (res.status != 200) raise_for(res);
  return res;
}

constexpr const char* kNotJson = "Meta answered with something that is not JSON";
constexpr const char* kNotAPage = "Meta answered with something that is not a page of insights";

json json_of(const HttpResponse& res) {
  json body = parse_untrusted_json(res.body);
  if (body.is_discarded()) throw Transient(kNotJson);
  return body;
}

std::pair<json, HttpResponse> fetch_json(HttpClient& http, const std::string& url, const std::string& token,
                                         const RetryPolicy& policy = {}) {
  HttpResponse res = send(http, {"GET", url, {}, {}}, token, policy);
  json body = json_of(res);
  return {std::move(body), std::move(res)};
}

// A request within a sync: stops when the worker does, slows down as Meta's usage headers ask.
HttpResponse sync_send(SyncContext& ctx, HttpRequest req) {
  ctx.checkpoint();
  HttpResponse res = send(ctx.http(), std::move(req), ctx.credentials().value("access_token", ""));
  if (const auto wait = usage_pause(res); wait.count() > 0) ctx.pause(wait);
  return res;
}

json sync_request(SyncContext& ctx, HttpRequest req) {
  return json_of(sync_send(ctx, std::move(req)));
}

json get_json(SyncContext& ctx, const std::string& url) {
  return sync_request(ctx, {"GET", url, {}, {}});
}

// Meta's asynchronous insights for one window: POST starts a report run, which is polled
// (1 s, doubling to 30 s between polls, for at most 30 minutes) until it is complete. Returns the
// URL of the report's first page of rows, paged like the synchronous insights.
std::string run_report(SyncContext& ctx, const std::string& act, const std::string& range) {
  using namespace std::chrono_literals;
  const auto& p = ctx.providers();
  const json started =
      sync_request(ctx, {"POST",
                         fmt::format("{}/{}/{}/insights", p.meta_api_base, p.meta_api_version, act),
                         {{"Content-Type", "application/x-www-form-urlencoded"}},
                         fmt::format("level=campaign&time_increment=1&time_range={}&fields={}&limit=500",
                                     HttpClient::encode(range), HttpClient::encode(kFields))});
  const std::string id = started.is_object() ? text_of(started.value("report_run_id", json())) : "";
  if (id.empty() || id.find_first_not_of("0123456789") != std::string::npos) {
    throw Transient("Meta did not start the insights report it was asked for");
  }
  const std::string status_url = fmt::format("{}/{}/{}", p.meta_api_base, p.meta_api_version, id);
  const auto deadline = std::chrono::steady_clock::now() + 30min;
  for (std::chrono::seconds wait = 1s;; wait = std::min<std::chrono::seconds>(wait * 2, 30s)) {
    const json job = get_json(ctx, status_url);
    const std::string status = job.is_object() ? job.value("async_status", "") : "";
    const json percent = job.is_object() ? job.value("async_percent_completion", json()) : json();
    if (status == "Job Completed" && percent.is_number() && percent.get<double>() >= 100) break;
    if (status == "Job Failed" || status == "Job Skipped") {
      throw Transient(fmt::format("Meta's insights report for {} ended as '{}'", act, status));
    }
    if (std::chrono::steady_clock::now() + wait > deadline) {
      throw Transient(fmt::format("Meta's insights report for {} did not finish within 30 minutes", act));
    }
    ctx.pause(wait);
  }
  return fmt::format("{}/insights?limit=500", status_url);
}

std::vector<std::string> ad_accounts(SyncContext& ctx) {
  std::vector<std::string> out;
  const auto& configured = ctx.settings().value("ad_account_ids", json::array());
  if (configured.is_array()) {
    for (const auto& id : configured) {
      if (id.is_string() && !id.get<std::string>().empty()) out.push_back(with_act(id.get<std::string>()));
    }
  }
  if (!out.empty()) return out;
  ctx.checkpoint();
  for (auto& a : list_ad_accounts(ctx.http(), ctx.providers(), ctx.credentials().value("access_token", ""))) {
    out.push_back(std::move(a.id));
  }
  if (out.empty()) throw NeedsUser("This Meta login has no ad accounts. Reconnect Meta with a user who can see them.");
  return out;
}

// Meta's account_status codes.
std::string status_name(int code) {
  switch (code) {
    case 1: return "active";
    case 2: return "disabled";
    case 3: return "unsettled";
    case 7:
    case 8:
    case 9: return "in_review";
    case 100:
    case 101: return "closed";
    default: return "other";
  }
}

}  // namespace

std::vector<AdAccount> list_ad_accounts(HttpClient& http, const ProviderSettings& p, const std::string& token,
                                        const RetryPolicy& policy) {
  std::vector<AdAccount> out;
  std::string url =
      fmt::format("{}/{}/me/adaccounts?fields=account_id,name,currency,timezone_name,account_status&limit=100",
                  p.meta_api_base, p.meta_api_version);
  while (!url.empty()) {
    const json page = fetch_json(http, url, token, policy).first;
    if (!page.is_object() || !page.contains("data") || !page["data"].is_array()) {
      throw Transient("Meta answered with something that is not a list of ad accounts");
    }
    for (const auto& a : page["data"]) {
      if (!a.is_object() || !a.contains("id")) continue;
      const json status = a.value("account_status", json());
      out.push_back({with_act(text_of(a["id"])), a.value("name", ""), a.value("currency", ""),
                     a.value("timezone_name", ""), status_name(status.is_number_integer() ? status.get<int>() : 0)});
    }
    url = page.contains("paging") && page["paging"].is_object() ? page["paging"].value("next", "") : "";
  }
  return out;
}

// A field of Meta's error JSON as an int, or `fallback` when it is missing, not an integer, or out
// of int's range (the body is the provider's, so no type is taken on trust).
int int_field(const json& obj, const char* key, int fallback = 0) {
  if (!obj.is_object()) return fallback;
  const auto it = obj.find(key);
  if (it == obj.end() || !it->is_number_integer()) return fallback;
  const auto v = it->get<std::int64_t>();
  return v < std::numeric_limits<int>::min() || v > std::numeric_limits<int>::max() ? fallback : static_cast<int>(v);
}

[[noreturn]] void raise_for(const HttpResponse& res) {
  const json body = parse_untrusted_json(res.body);
  const json err =
      body.is_object() && body.contains("error") && body["error"].is_object() ? body["error"] : json::object();
  const int code = int_field(err, "code");
  const std::string message = err.contains("message") && err["message"].is_string()
                                  ? err["message"].get<std::string>().substr(0, 500)
                                  : fmt::format("HTTP {}", res.status);
  if (code == 190 || code == 102 || res.status == 401) {
    throw NeedsUser(fmt::format("Meta no longer accepts the access token ({}). Reconnect Meta.", message));
  }
  if (code == 1 && int_field(err, "error_subcode") == 99) {
    throw TooMuchData(fmt::format("Meta asked for less data per request ({})", message));
  }
  const bool transient_flag =
      err.contains("is_transient") && err["is_transient"].is_boolean() && err["is_transient"].get<bool>();
  const bool throttled = code == 4 || code == 17 || code == 32 || code == 613 || (code >= 80000 && code <= 80014);
  if (throttled || code == 1 || code == 2 || transient_flag || res.status == 429 || res.status >= 500) {
    std::optional<std::chrono::seconds> wait;
    if (auto usage = res.header("X-Business-Use-Case-Usage")) {
      const json u = parse_untrusted_json(*usage);
      if (u.is_object()) {
        for (const auto& [_, entries] : u.items()) {
          if (!entries.is_array()) continue;
          for (const auto& e : entries) {
            // At most a day: a longer announced wait is a garbled header, not a plan.
            const int minutes = std::min(int_field(e, "estimated_time_to_regain_access"), 24 * 60);
            if (minutes > 0)
              wait = std::max(wait.value_or(std::chrono::seconds(0)), std::chrono::seconds(minutes * 60));
          }
        }
      }
    }
    throw Transient(fmt::format("Meta asked us to slow down or failed ({}, code {})", message, code), wait);
  }
  throw NeedsUser(
      fmt::format("Meta refused the request: {} (code {}). Check the ad accounts selected for this "
                  "connection and their permissions.",
                  message, code));
}

std::chrono::seconds usage_pause(const HttpResponse& res) {
  using std::chrono::seconds;
  double pct = 0;    // the fullest quota, in percent
  seconds reset{0};  // the longest wait Meta announces
  auto note_pct = [&](const json& v) {
    if (v.is_number()) pct = std::max(pct, v.get<double>());
  };
  auto object_of = [&](const char* header) {
    const auto value = res.header(header);
    if (!value) return json();
    json parsed = parse_untrusted_json(*value);
    return parsed.is_object() ? parsed : json();
  };
  if (const json app = object_of("X-App-Usage"); app.is_object()) {
    for (const char* k : {"call_count", "total_time", "total_cputime"}) note_pct(app.value(k, json()));
  }
  if (const json acc = object_of("X-Ad-Account-Usage"); acc.is_object()) {
    note_pct(acc.value("acc_id_util_pct", json()));
    if (const auto r = acc.value("reset_time_duration", json()); r.is_number()) {
      reset = std::max(reset, seconds(static_cast<long>(r.get<double>())));
    }
  }
  if (const json insights = object_of("X-FB-Ads-Insights-Throttle"); insights.is_object()) {
    for (const char* k : {"app_id_util_pct", "acc_id_util_pct"}) note_pct(insights.value(k, json()));
  }
  if (const json buc = object_of("X-Business-Use-Case-Usage"); buc.is_object()) {
    for (const auto& [_, entries] : buc.items()) {
      if (!entries.is_array()) continue;
      for (const auto& e : entries) {
        if (!e.is_object()) continue;
        for (const char* k : {"call_count", "total_time", "total_cputime"}) note_pct(e.value(k, json()));
        if (const auto m = e.value("estimated_time_to_regain_access", json()); m.is_number()) {
          reset = std::max(reset, seconds(static_cast<long>(m.get<double>() * 60)));
        }
      }
    }
  }
  constexpr double kStart = 75, kFull = 100;
  constexpr seconds kAtFull{60}, kMax{600};
  if (pct < kStart) return seconds(0);
  seconds wait(static_cast<long>(std::min(pct - kStart, kFull - kStart) / (kFull - kStart) * kAtFull.count()));
  if (pct >= 95) wait = std::max(wait, reset);
  return std::min(wait, kMax);
}

struct InsightsReader::Parser {
  od::parser parser;
};

InsightsReader::InsightsReader() : parser_(std::make_unique<Parser>()) {}
InsightsReader::~InsightsReader() = default;

InsightsPage InsightsReader::read(std::string_view body, const std::string& ad_account_id,
                                  const std::string& purchase_action_type) {
  InsightsPage page;
  bool has_data = false;
  try {
    const simdjson::padded_string text(body);
    od::document doc = parser_->parser.iterate(text);
    if (doc.type().value() != od::json_type::object) {
      // A scalar or an array: JSON that is not a page, or not JSON at all (an error page, "nul").
      throw Transient(json::accept(body) ? kNotAPage : kNotJson);
    }
    for (auto top : doc.get_object()) {
      const std::string_view key = top.unescaped_key().value();
      if (key == "paging") {
        od::value paging = top.value();
        if (paging.type().value() != od::json_type::object) continue;
        for (auto field : paging.get_object()) {
          if (field.unescaped_key().value() == "next") page.next = scalar_text(field.value());
        }
        continue;
      }
      if (key != "data") continue;
      od::value data = top.value();
      if (data.type().value() != od::json_type::array) continue;
      has_data = true;
      for (auto element : data.get_array()) {
        od::value r = element.value();
        if (r.type().value() != od::json_type::object) {
          page.errors.emplace_back("an insights row that is not an object");
          continue;
        }
        SpendRow row;
        row.platform = "facebook_ads";
        row.ad_account_id = ad_account_id;
        std::string spend_text = "0", value_text = "0", conversions = "0", impressions, clicks;
        for (auto field : r.get_object()) {
          const std::string_view name = field.unescaped_key().value();
          if (name == "campaign_id") {
            row.campaign_id = scalar_text(field.value());
          } else if (name == "campaign_name") {
            row.campaign_name = scalar_text(field.value());
          } else if (name == "date_start") {
            row.date = scalar_text(field.value());
          } else if (name == "account_currency") {
            row.currency = scalar_text(field.value());
          } else if (name == "spend") {
            spend_text = scalar_text(field.value());
          } else if (name == "impressions") {
            impressions = scalar_text(field.value());
          } else if (name == "clicks") {
            clicks = scalar_text(field.value());
          } else if (name == "actions") {
            conversions = action_value(field.value(), purchase_action_type);
          } else if (name == "action_values") {
            value_text = action_value(field.value(), purchase_action_type);
          }
        }
        const int exp = currency_exponent(row.currency);
        const auto spend = decimal_to_minor(spend_text, exp);
        const auto value = decimal_to_minor(value_text, exp);
        if (row.campaign_id.empty() || !schemas::ingest::is_iso_date(row.date) || !is_currency_code(row.currency) ||
            !spend || *spend < 0 || !value || !decimal_to_minor(conversions, 4)) {
          page.errors.push_back(
              fmt::format("unreadable insights row for campaign '{}' on '{}'", row.campaign_id, row.date));
          continue;
        }
        row.spend = *spend;
        row.impressions = count_of(impressions);
        row.clicks = count_of(clicks);
        row.conversions = std::move(conversions);
        row.conversion_value = std::max<std::int64_t>(*value, 0);
        page.rows.push_back(std::move(row));
      }
    }
    if (!doc.current_location().error()) throw Transient(kNotJson);  // something after the page
  } catch (const simdjson::simdjson_error&) {
    throw Transient(kNotJson);
  }
  if (!has_data) throw Transient(kNotAPage);
  return page;
}

void MetaConnector::sync(SyncContext& ctx) {
  const auto& p = ctx.providers();
  const auto& settings = ctx.settings();
  const std::string purchase_type = settings.value("purchase_action_type", "omni_purchase");
  const int backfill = std::clamp(settings.value("backfill_days", 90), 1, kMaxHistoryDays);
  const int restatement = std::clamp(settings.value("restatement_days", 28), 0, 90);
  InsightsReader reader;

  for (const std::string& act : ad_accounts(ctx)) {
    const std::string stream = "insights:" + act;
    // Meta's days are the ad account's: "today" there may be yesterday or tomorrow in UTC.
    const json account =
        get_json(ctx, fmt::format("{}/{}/{}?fields=timezone_name", p.meta_api_base, p.meta_api_version, act));
    const auto today =
        parse_day(ctx.today_in(account.is_object() ? account.value("timezone_name", std::string()) : std::string()));
    // First sync: the backfill. Later: from the last stored day minus the restatement window, never
    // before where the backfill began.
    auto first = today - std::chrono::days(backfill - 1);
    auto since = first;
    if (const auto cursor = ctx.cursor(stream); cursor && cursor->contains("synced_through")) {
      first = parse_day(cursor->value("synced_from", format_day(first)));
      since = std::max(first, std::min(parse_day((*cursor)["synced_through"].get<std::string>()), today) -
                                  std::chrono::days(restatement));
    }
    since = std::max(since, today - std::chrono::days(kMaxHistoryDays));
    for (auto from = since; from <= today; from += std::chrono::days(kWindowDays)) {
      const auto to = std::min(from + std::chrono::days(kWindowDays - 1), today);
      const std::string range = fmt::format(R"({{"since":"{}","until":"{}"}})", format_day(from), format_day(to));
      const std::string url =
          fmt::format("{}/{}/{}/insights?level=campaign&time_increment=1&time_range={}&fields={}&limit=500",
                      p.meta_api_base, p.meta_api_version, act, HttpClient::encode(range), HttpClient::encode(kFields));
      schemas::ingest::SpendWindow window{"facebook_ads", act, format_day(from), format_day(to), {}};
      // A window with nothing stored yet (the backfill, a new day) is written with plain inserts.
      window.stored_before = ctx.spend_stored(window.platform, act, window.from, window.to);
      std::vector<SpendRow> pending;  // written in batches of SYNC_BATCH_ROWS: fewer, larger transactions
      auto flush = [&] {
        if (!pending.empty()) ctx.write_spend(std::move(pending), !window.stored_before, stream, std::nullopt);
        pending.clear();
      };
      // The next page downloads and parses while this one is written (the database and Meta
      // work at the same time); a failed fetch surfaces at get(), in page order.
      // One page is fetched at a time, so the pages share one reader.
      auto fetch = [&](std::string next) {
        return std::async(std::launch::async, [&ctx, &act, &purchase_type, &reader, next = std::move(next),
                                               run = log::current_request_id()] {
          log::RequestIdScope scope(run);  // the requests' log lines name the run, as on the sync's thread
          return reader.read(sync_send(ctx, {"GET", next, {}, {}}).body, act, purchase_type);
        });
      };
      bool first_page = true;
      for (std::future<InsightsPage> ahead = fetch(url); ahead.valid();) {
        InsightsPage page;
        try {
          page = ahead.get();
        } catch (const TooMuchData&) {
          if (!first_page) throw;
          // Too much for one synchronous request: the same window as an asynchronous report.
          first_page = false;
          ahead = fetch(run_report(ctx, act, range));
          continue;
        }
        first_page = false;
        if (!page.next.empty()) ahead = fetch(page.next);
        ctx.add_read(static_cast<std::int64_t>(page.rows.size() + page.errors.size()));
        if (!page.errors.empty()) {
          throw Transient(fmt::format("Meta sent {} unreadable rows: {}", page.errors.size(), page.errors[0]));
        }
        for (auto& r : page.rows) {
          // Only a window that held rows can have rows Meta stopped reporting.
          if (window.stored_before) window.reported.emplace_back(r.campaign_id, r.date);
          pending.push_back(std::move(r));
        }
        if (std::cmp_greater_equal(pending.size(), p.sync_batch_rows)) flush();
      }
      flush();
      // The whole window is read: what Meta no longer reports in it (a day restated to nothing) is
      // deleted, so the re-pull replaces those days exactly, and the next sync starts from here
      // (minus the restatement window). A sync stopped before this point re-pulls the window.
      ctx.replace_spend_window(window, stream,
                               json{{"synced_from", format_day(first)}, {"synced_through", format_day(to)}});
    }
  }
}

}  // namespace otq::connectors::meta
