// Fake provider endpoints (cpp-httplib on loopback).
#include "tests/support/fake_providers.hpp"

#include "app/connectors/shopify/shopify_connector.hpp"
#include "app/schemas/metrics.hpp"

#include <cctype>
#include <iterator>
#include <thread>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace otq::testing {
namespace {

using nlohmann::json;

std::chrono::sys_days day_of(const std::string& s) {
  return schemas::metrics::parse_day(s).value();
}
using schemas::metrics::format_day;

std::string encode(const std::string& s) {
  std::string out;
  for (const char c : s) {
    if (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.') {
      out.push_back(c);
    } else {
      out += fmt::format("%{:02X}", static_cast<unsigned char>(c));
    }
  }
  return out;
}

// As Meta and Shopify label their bodies. (Also keeps cpp-httplib from brotli-compressing every
// page at its slowest setting: it compresses only a bare "application/json".)
constexpr const char* kJson = "application/json; charset=UTF-8";

constexpr const char* kInvalidToken =
    "{\"errors\":\"[API] Invalid API key or access token (unrecognized login or wrong password)\"}";

// A moment as Shopify writes it (UTC, whole seconds).
std::string iso(std::chrono::sys_seconds t) {
  const auto day = std::chrono::floor<std::chrono::days>(t);
  const std::chrono::hh_mm_ss hms(t - day);
  return fmt::format("{}T{:02}:{:02}:{:02}Z", format_day(day), hms.hours().count(), hms.minutes().count(),
                     hms.seconds().count());
}

}  // namespace

std::int64_t FakeProviders::spend_cents(const std::string& campaign, const std::string& date) {
  std::int64_t h = 0;
  for (const char c : campaign + date) h = (h * 31 + c) % 100000;
  return 100 + h;  // 1.00 to 1000.99
}

FakeProviders::FakeProviders() {
  auto json_reply = [](httplib::Response& res, int status, const json& body) {
    res.status = status;
    res.set_content(body.dump(), kJson);
  };
  // Graph API reads with the long-lived token; anything else is Meta's "invalid token" (190).
  auto meta_token_accepted = [json_reply](const httplib::Request& req, httplib::Response& res) {
    if (req.get_header_value("Authorization") == std::string("Bearer ") + kLongLivedToken) return true;
    json_reply(res, 400,
               {{"error", {{"message", "Invalid OAuth access token."}, {"type", "OAuthException"}, {"code", 190}}}});
    return false;
  };
  // Meta OAuth: code -> short-lived token -> long-lived token.
  server_.Get(
      R"(/v[0-9.]+/oauth/access_token)", [this, json_reply](const httplib::Request& req, httplib::Response& res) {
        record(req);
        if (req.get_param_value("client_id") != kAppId || req.get_param_value("client_secret") != kAppSecret) {
          return json_reply(res, 400, {{"error", {{"message", "Error validating client secret."}, {"code", 1}}}});
        }
        if (req.get_param_value("grant_type") == "fb_exchange_token") {
          return json_reply(res, 200,
                            {{"access_token", kLongLivedToken}, {"token_type", "bearer"}, {"expires_in", 5183944}});
        }
        if (req.get_param_value("code") != "good-code") {
          return json_reply(res, 400, {{"error", {{"message", "Invalid verification code format."}, {"code", 100}}}});
        }
        json_reply(res, 200, {{"access_token", "EAAshortlived"}, {"token_type", "bearer"}, {"expires_in", 3600}});
      });
  server_.Get(R"(/v[0-9.]+/me)", [this, json_reply](const httplib::Request& req, httplib::Response& res) {
    record(req);
    json_reply(res, 200, {{"id", "10150000000000001"}, {"name", "Ann Advertiser"}});
  });
  server_.Delete(R"(/v[0-9.]+/me/permissions)",
                 [this, json_reply](const httplib::Request& req, httplib::Response& res) {
                   record(req);
                   json_reply(res, 200, {{"success", true}});
                 });
  server_.Get(R"(/v[0-9.]+/me/adaccounts)",
              [this, json_reply, meta_token_accepted](const httplib::Request& req, httplib::Response& res) {
                record(req);
                if (!meta_token_accepted(req, res)) return;
                // Two per page, with Meta's cursor paging.
                const std::size_t offset = req.has_param("after") ? std::stoul(req.get_param_value("after")) : 0;
                std::vector<std::pair<std::string, std::string>> accounts;
                {
                  std::lock_guard lock(mutex_);
                  accounts = ad_accounts;
                }
                json page{{"data", json::array()}};
                for (std::size_t i = offset; i < accounts.size() && i < offset + 2; ++i) {
                  page["data"].push_back({{"id", "act_" + accounts[i].first},
                                          {"account_id", accounts[i].first},
                                          {"name", accounts[i].second},
                                          {"currency", "USD"},
                                          {"timezone_name", ad_account_timezone},
                                          {"account_status", 1}});
                }
                if (offset + 2 < accounts.size()) {
                  page["paging"] = {{"cursors", {{"after", std::to_string(offset + 2)}}},
                                    {"next", fmt::format("{}{}?limit=2&after={}", base_url(), req.path, offset + 2)}};
                }
                json_reply(res, 200, page);
              });
  // One ad account's fields (the connector reads its time zone).
  server_.Get(R"(/v[0-9.]+/(act_[0-9]+))",
              [this, json_reply, meta_token_accepted](const httplib::Request& req, httplib::Response& res) {
                record(req);
                if (!meta_token_accepted(req, res)) return;
                std::lock_guard lock(mutex_);
                json_reply(res, 200, {{"id", req.matches[1].str()}, {"timezone_name", ad_account_timezone}});
              });
  server_.Get(R"(/v[0-9.]+/act_[0-9]+/insights)",
              [this](const httplib::Request& req, httplib::Response& res) { insights(req, res); });
  // Asynchronous insights: start a report run, poll it, read its rows.
  server_.Post(
      R"(/v[0-9.]+/(act_[0-9]+)/insights)", [this, json_reply](const httplib::Request& req, httplib::Response& res) {
        record(req);
        if (req.get_header_value("Authorization") != std::string("Bearer ") + kLongLivedToken) {
          return json_reply(res, 400, {{"error", {{"message", "Invalid OAuth access token."}, {"code", 190}}}});
        }
        const json range = json::parse(req.get_param_value("time_range"), nullptr, false);
        if (!range.is_object() || req.get_param_value("time_increment") != "1") {
          return json_reply(res, 400, {{"error", {{"message", "(#100) Invalid parameter"}, {"code", 100}}}});
        }
        std::lock_guard lock(mutex_);
        const std::string id = std::to_string(6000000000000 + static_cast<std::int64_t>(reports_.size()) + 1);
        reports_[id] = {req.matches[1], range};
        json_reply(res, 200, {{"report_run_id", id}});
      });
  server_.Get(R"(/v[0-9.]+/([0-9]{10,})/insights)",
              [this](const httplib::Request& req, httplib::Response& res) { insights(req, res); });
  server_.Get(R"(/v[0-9.]+/([0-9]{10,}))", [this, json_reply](const httplib::Request& req, httplib::Response& res) {
    record(req);
    std::lock_guard lock(mutex_);
    const std::string id = req.matches[1];
    if (!reports_.contains(id))
      return json_reply(res, 400, {{"error", {{"message", "Unknown object"}, {"code", 100}}}});
    const int polls = ++report_polls_[id];
    if (report_fails) {
      return json_reply(res, 200, {{"id", id}, {"async_status", "Job Failed"}, {"async_percent_completion", 0}});
    }
    json_reply(res, 200,
               polls == 1 ? json{{"id", id}, {"async_status", "Job Running"}, {"async_percent_completion", 40}}
                          : json{{"id", id}, {"async_status", "Job Completed"}, {"async_percent_completion", 100}});
  });
  // Shopify OAuth token exchange and revocation, per shop.
  server_.Post(R"(/shops/([a-z0-9.-]+)/admin/oauth/access_token)",
               [this, json_reply](const httplib::Request& req, httplib::Response& res) {
                 record(req);
                 const json body = json::parse(req.body, nullptr, false);
                 if (!body.is_object() || body.value("client_id", "") != kShopifyClientId ||
                     body.value("client_secret", "") != kShopifyClientSecret || body.value("code", "") != "good-code") {
                   return json_reply(res, 400, {{"error", "invalid_request"}});
                 }
                 json_reply(res, 200, {{"access_token", kShopifyToken}, {"scope", "read_orders,read_customers"}});
               });
  server_.Delete(R"(/shops/([a-z0-9.-]+)/admin/api_permissions/current.json)",
                 [this](const httplib::Request& req, httplib::Response& res) {
                   record(req);
                   res.status = 200;
                   res.set_content("{}", kJson);
                 });
  server_.Get(R"(/shops/([a-z0-9.-]+)/admin/api/([0-9-]+)/orders.json)",
              [this](const httplib::Request& req, httplib::Response& res) { orders(req, res); });
  port_ = server_.bind_to_any_port("127.0.0.1");
  thread_ = std::thread([this] { server_.listen_after_bind(); });
  // bind_to_any_port already listens: connections queue until the accept loop runs.
}

FakeProviders::~FakeProviders() {
  release();
  server_.stop();
  if (thread_.joinable()) thread_.join();
}

void FakeProviders::hold_if_due(std::unique_lock<std::mutex>& lock) {
  if (hold_countdown_ > 0 && --hold_countdown_ == 0) {
    holding_ = true;
    cv_.notify_all();
    cv_.wait_for(lock, std::chrono::seconds(60), [&] { return released_; });
    holding_ = false;
  }
}

void FakeProviders::record(const httplib::Request& req) {
  std::lock_guard lock(mutex_);
  requests_.push_back(RecordedRequest::of(req));
}

void FakeProviders::insights(const httplib::Request& req, httplib::Response& res) {
  record(req);
  const std::string after = req.get_param_value("after");
  std::chrono::milliseconds delay{0};
  std::map<std::pair<std::string, std::string>, std::int64_t> restated;
  std::string usage;
  {
    std::unique_lock lock(mutex_);
    if (insights_failure_ && insights_failure_after_ > 0) {
      --insights_failure_after_;
    } else if (insights_failure_ && insights_failure_times_ != 0) {
      if (insights_failure_times_ > 0) --insights_failure_times_;
      res.set_header("Retry-After", "0");
      for (const auto& [k, v] : insights_failure_headers_) res.set_header(k, v);
      res.status = insights_failure_->first;
      res.set_content(insights_failure_->second, kJson);
      return;
    }
    hold_if_due(lock);
    delay = take_delay(insights_delay_, insights_delays_);
    restated = restated_;
    usage = insights_usage;
  }
  if (delay.count() > 0) std::this_thread::sleep_for(delay);
  if (req.get_header_value("Authorization") != std::string("Bearer ") + kLongLivedToken) {
    res.status = 400;
    res.set_content(R"({"error":{"message":"Invalid OAuth access token.","type":"OAuthException","code":190}})", kJson);
    return;
  }
  json range;
  std::string act;
  if (const auto at = req.path.find("/act_"); at != std::string::npos) {
    range = json::parse(req.get_param_value("time_range"), nullptr, false);
    act = req.path.substr(at + 1, req.path.find("/insights") - at - 1);
    const auto rows =
        ((day_of(range["until"]) - day_of(range["since"])).count() + 1) * static_cast<std::int64_t>(campaigns.size());
    if (sync_row_limit > 0 && rows > sync_row_limit) {
      res.status = 400;
      res.set_content(R"({"error":{"message":"Please reduce the amount of data you're asking for, then retry your )"
                      R"(request","type":"OAuthException","code":1,"error_subcode":99,"fbtrace_id":"AzFake"}})",
                      kJson);
      return;
    }
  } else {  // the rows of an asynchronous report: /vNN/<report_run_id>/insights
    const std::string id = req.matches[1];
    std::lock_guard lock(mutex_);
    const auto job = reports_.find(id);
    if (job == reports_.end()) {
      res.status = 400;
      res.set_content(R"({"error":{"message":"Unsupported get request.","type":"GraphMethodException","code":100}})",
                      kJson);
      return;
    }
    act = job->second.first;
    range = job->second.second;
  }
  // Rows are the (day, campaign) grid in order; a page renders only its slice of it. A day
  // restated to nothing leaves a gap (a short page, as Meta's own pages can be).
  const auto since = day_of(range["since"]);
  const std::size_t days = static_cast<std::size_t>((day_of(range["until"]) - since).count() + 1);
  const std::size_t total = days * campaigns.size();
  const std::size_t offset = after.empty() ? 0 : std::stoul(after);
  const std::size_t next = offset + static_cast<std::size_t>(page_size);
  // Written as text: the benchmark pages a million rows through here, and building JSON objects
  // row by row took a tenth of the machine away from the sync being measured. Campaign ids are
  // the tests' own (letters and digits), so nothing needs escaping.
  std::string body = R"({"data":[)";
  bool first_row = true;
  for (std::size_t i = overlap_pages && offset > 0 ? offset - 1 : offset; i < total && i < next; ++i) {
    const std::string day = format_day(since + std::chrono::days(i / campaigns.size()));
    const auto& c = campaigns[i % campaigns.size()];
    const auto restatement = restated.find({c, day});
    const std::int64_t cents = restatement != restated.end() ? restatement->second : spend_cents(c, day);
    if (cents < 0) continue;  // restated to nothing: Meta sends no row
    fmt::format_to(
        std::back_inserter(body),
        R"x({}{{"account_id":"{}","account_currency":"USD","campaign_id":"{}","campaign_name":"Campaign {}",)x"
        R"x("spend":"{}.{:02d}","impressions":"{}","clicks":"{}","actions":[{{"action_type":"omni_purchase",)x"
        R"x("value":"2"}},{{"action_type":"purchase","value":"2"}}],"action_values":[{{"action_type":)x"
        R"x("omni_purchase","value":"99.5"}}],"date_start":"{}","date_stop":"{}"}})x",
        first_row ? "" : ",", act.substr(4), c, c, cents / 100, cents % 100, cents * 10, cents / 10, day, day);
    first_row = false;
  }
  json paging{{"cursors", {{"before", std::to_string(offset)}, {"after", std::to_string(next)}}}};
  if (next < total) {
    paging["next"] = fmt::format("{}{}?level=campaign&time_increment=1&time_range={}&limit={}&after={}", base_url(),
                                 req.path, encode(range.dump()), page_size, next);
  }
  body += R"(],"paging":)" + paging.dump() + "}";
  res.status = 200;
  res.set_header("X-Business-Use-Case-Usage", usage);
  res.set_content(body, kJson);
}

void FakeProviders::fail_insights(int status, std::string body, int times, int after,
                                  std::map<std::string, std::string> headers) {
  std::lock_guard lock(mutex_);
  insights_failure_ = std::make_pair(status, std::move(body));
  insights_failure_times_ = times;
  insights_failure_after_ = after;
  insights_failure_headers_ = std::move(headers);
}

std::chrono::milliseconds FakeProviders::take_delay(std::chrono::milliseconds delay, int& remaining) {
  if (remaining <= 0) return std::chrono::milliseconds(0);
  --remaining;
  return delay;
}

void FakeProviders::delay_insights(std::chrono::milliseconds delay, int times) {
  std::lock_guard lock(mutex_);
  insights_delay_ = delay;
  insights_delays_ = times;
}

void FakeProviders::delay_orders(std::chrono::milliseconds delay, int times) {
  std::lock_guard lock(mutex_);
  orders_delay_ = delay;
  orders_delays_ = times;
}

void FakeProviders::restate(const std::string& campaign, const std::string& date, std::int64_t cents) {
  std::lock_guard lock(mutex_);
  restated_[{campaign, date}] = cents;
}

std::int64_t FakeProviders::reported_cents(const std::string& campaign, const std::string& date) const {
  std::lock_guard lock(mutex_);
  const auto it = restated_.find({campaign, date});
  return it != restated_.end() ? it->second : spend_cents(campaign, date);
}

void FakeProviders::hold_request(int n) {
  std::lock_guard lock(mutex_);
  hold_countdown_ = n;
  released_ = false;
}

bool FakeProviders::wait_held(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  return cv_.wait_for(lock, timeout, [&] { return holding_; });
}

void FakeProviders::release() {
  std::lock_guard lock(mutex_);
  released_ = true;
  cv_.notify_all();
}

std::vector<RecordedRequest> FakeProviders::requests() const {
  std::lock_guard lock(mutex_);
  return requests_;
}

std::int64_t FakeProviders::order_total_cents(int n) {
  return 1000 + (static_cast<std::int64_t>(n) * 7919) % 20000;
}

std::int64_t FakeProviders::order_refund_cents(int n) {
  return n % 5 == 0 ? order_total_cents(n) / 10 : 0;
}

void FakeProviders::fail_orders(int status, std::string body, int times) {
  std::lock_guard lock(mutex_);
  orders_failure_ = {status, std::move(body)};
  orders_failures_ = times;
}

void FakeProviders::edit_order(int n, std::int64_t cents) {
  const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  std::lock_guard lock(mutex_);
  edits_[n] = {cents, iso(now)};
}

void FakeProviders::orders(const httplib::Request& req, httplib::Response& res) {
  record(req);
  std::map<int, std::pair<std::int64_t, std::string>> edits;
  std::chrono::milliseconds delay{0};
  {
    std::unique_lock lock(mutex_);
    if (orders_failures_ > 0) {
      --orders_failures_;
      res.set_header("Retry-After", "0");
      res.status = orders_failure_.first;
      res.set_content(orders_failure_.second, kJson);
      return;
    }
    hold_if_due(lock);
    edits = edits_;
    delay = take_delay(orders_delay_, orders_delays_);
  }
  if (delay.count() > 0) std::this_thread::sleep_for(delay);
  if (req.get_header_value("X-Shopify-Access-Token") != kShopifyToken || shopify_token_revoked) {
    res.status = 401;
    res.set_content(kInvalidToken, kJson);
    return;
  }
  // page_info is opaque to the client; here it carries the offset and the first request's filter.
  std::int64_t since = 0;
  std::size_t offset = 0;
  if (req.has_param("page_info")) {
    const std::string info = req.get_param_value("page_info");
    const auto dot = info.find('.');
    offset = std::stoul(info.substr(0, dot));
    since = std::stoll(info.substr(dot + 1));
  } else {
    if (req.get_param_value("status") != "any") {
      res.status = 400;
      res.set_content(R"({"errors":"this fake expects status=any"})", kJson);
      return;
    }
    const std::string min = req.get_param_value("updated_at_min");
    since = min.empty() ? 0 : connectors::shopify::epoch_seconds(min).value_or(0);
  }
  const std::chrono::sys_seconds base = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now()) -
                                        std::chrono::days(shopify_first_order_days_ago);
  // Which orders match, cheaply; only the page's orders are then rendered (a 100,000-order shop
  // is served page by page without building every order for every page).
  const auto step = std::chrono::seconds(shopify_order_spacing_seconds);
  const std::int64_t base_epoch = base.time_since_epoch().count();
  std::vector<int> matching;
  for (int n = 1; n <= shopify_orders; ++n) {
    std::int64_t updated = base_epoch + n * step.count();
    if (const auto e = edits.find(n); e != edits.end()) {
      updated = connectors::shopify::epoch_seconds(e->second.second).value_or(0);
    }
    if (updated >= since) matching.push_back(n);
  }
  const std::size_t end = std::min(matching.size(), offset + static_cast<std::size_t>(shopify_page_size));
  json page = {{"orders", json::array()}};
  for (std::size_t k = offset; k < end; ++k) {
    const int n = matching[k];
    std::int64_t cents = order_total_cents(n);
    std::string updated = iso(base + n * step);
    if (const auto e = edits.find(n); e != edits.end()) std::tie(cents, updated) = e->second;
    const std::chrono::sys_seconds placed = base + n * step;
    const std::string money = fmt::format("{}.{:02}", cents / 100, cents % 100);
    const std::string email = fmt::format("buyer{}@example.com", n % shopify_customers);
    json o = {{"id", 5000000000 + n},
              {"name", fmt::format("#{}", 1000 + n)},
              {"email", email},
              {"created_at", iso(placed)},
              {"processed_at", iso(placed)},
              {"updated_at", updated},
              {"currency", "USD"},
              {"presentment_currency", "USD"},
              {"total_price", money},
              {"subtotal_price", money},
              {"total_discounts", "0.00"},
              {"total_tax", "0.00"},
              {"financial_status", order_refund_cents(n) ? "partially_refunded" : "paid"},
              {"fulfillment_status", nullptr},
              {"cancelled_at", nullptr},
              {"test", false},
              {"source_name", "web"},
              {"landing_site", n % 3 == 0 ? "/?utm_source=facebook&fbclid=IwAR" + std::to_string(n) : "/"},
              {"customer", {{"id", 700000 + n % shopify_customers}, {"email", email}}},
              {"line_items", {{{"id", n}}}},
              {"refunds", json::array()}};
    if (const auto refund = order_refund_cents(n); refund > 0) {
      o["refunds"].push_back({{"id", 9000000 + n},
                              {"created_at", iso(placed + std::chrono::hours(1))},
                              {"transactions",
                               {{{"kind", "refund"},
                                 {"status", "success"},
                                 {"amount", fmt::format("{}.{:02}", refund / 100, refund % 100)},
                                 {"currency", "USD"}}}}});
    }
    page["orders"].push_back(std::move(o));
  }
  if (end < matching.size()) {
    res.set_header("Link", fmt::format("<{}{}?limit={}&page_info={}.{}>; rel=\"next\"", base_url(), req.path,
                                       shopify_page_size, end, since));
  }
  res.set_header("X-Shopify-Shop-Api-Call-Limit", shopify_call_limit);
  res.status = 200;
  res.set_content(page.dump(), kJson);
}

std::vector<RecordedRequest> FakeProviders::requests_to(const std::string& path_prefix) const {
  std::vector<RecordedRequest> out;
  for (auto& r : requests()) {
    if (r.path.find(path_prefix) != std::string::npos) out.push_back(r);
  }
  return out;
}

}  // namespace otq::testing
