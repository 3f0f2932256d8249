// Fake provider endpoints (cpp-httplib on loopback).
#include "tests/support/fake_providers.hpp"

#include "app/schemas/metrics.hpp"

#include <cctype>

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

}  // namespace

std::int64_t FakeProviders::spend_cents(const std::string& campaign, const std::string& date) {
  std::int64_t h = 0;
  for (const char c : campaign + date) h = (h * 31 + c) % 100000;
  return 100 + h;  // 1.00 to 1000.99
}

FakeProviders::FakeProviders() {
  auto json_reply = [](httplib::Response& res, int status, const json& body) {
    res.status = status;
    res.set_content(body.dump(), "application/json");
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
  server_.Get(R"(/v[0-9.]+/me/adaccounts)", [this, json_reply](const httplib::Request& req, httplib::Response& res) {
    record(req);
    json_reply(res, 200,
               {{"data", {{{"id", "act_1"}, {"account_id", "1"}, {"name", "Store ads"}, {"currency", "USD"}}}}});
  });
  server_.Get(R"(/v[0-9.]+/act_[0-9]+/insights)",
              [this](const httplib::Request& req, httplib::Response& res) { insights(req, res); });
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
                   res.set_content("{}", "application/json");
                 });
  port_ = server_.bind_to_any_port("127.0.0.1");
  thread_ = std::thread([this] { server_.listen_after_bind(); });
  // bind_to_any_port already listens: connections queue until the accept loop runs.
}

FakeProviders::~FakeProviders() {
  release();
  server_.stop();
  if (thread_.joinable()) thread_.join();
}

void FakeProviders::record(const httplib::Request& req) {
  std::lock_guard lock(mutex_);
  requests_.push_back(RecordedRequest::of(req));
}

void FakeProviders::insights(const httplib::Request& req, httplib::Response& res) {
  record(req);
  const std::string after = req.get_param_value("after");
  {
    std::unique_lock lock(mutex_);
    if (insights_failure_) {
      res.set_header("Retry-After", "0");
      res.status = insights_failure_->first;
      res.set_content(insights_failure_->second, "application/json");
      return;
    }
    if (hold_countdown_ > 0 && --hold_countdown_ == 0) {
      holding_ = true;
      cv_.notify_all();
      cv_.wait_for(lock, std::chrono::seconds(60), [&] { return released_; });
      holding_ = false;
    }
  }
  if (req.get_header_value("Authorization") != std::string("Bearer ") + kLongLivedToken) {
    res.status = 400;
    res.set_content(R"({"error":{"message":"Invalid OAuth access token.","type":"OAuthException","code":190}})",
                    "application/json");
    return;
  }
  const json range = json::parse(req.get_param_value("time_range"), nullptr, false);
  const std::string act = req.path.substr(req.path.find("act_"), req.path.find("/insights") - req.path.find("act_"));
  std::vector<json> rows;
  for (auto d = day_of(range["since"]); d <= day_of(range["until"]); d += std::chrono::days(1)) {
    for (const auto& c : campaigns) {
      const std::int64_t cents = spend_cents(c, format_day(d));
      rows.push_back(
          {{"account_id", act.substr(4)},
           {"account_currency", "USD"},
           {"campaign_id", c},
           {"campaign_name", "Campaign " + c},
           {"spend", fmt::format("{}.{:02d}", cents / 100, cents % 100)},
           {"impressions", std::to_string(cents * 10)},
           {"clicks", std::to_string(cents / 10)},
           {"actions",
            {{{"action_type", "omni_purchase"}, {"value", "2"}}, {{"action_type", "purchase"}, {"value", "2"}}}},
           {"action_values", {{{"action_type", "omni_purchase"}, {"value", "99.5"}}}},
           {"date_start", format_day(d)},
           {"date_stop", format_day(d)}});
    }
  }
  const std::size_t offset = after.empty() ? 0 : std::stoul(after);
  json page{{"data", json::array()}};
  for (std::size_t i = offset; i < rows.size() && i < offset + static_cast<std::size_t>(page_size); ++i) {
    page["data"].push_back(rows[i]);
  }
  const std::size_t next = offset + static_cast<std::size_t>(page_size);
  page["paging"] = {{"cursors", {{"before", std::to_string(offset)}, {"after", std::to_string(next)}}}};
  if (next < rows.size()) {
    page["paging"]["next"] = fmt::format("{}{}?level=campaign&time_increment=1&time_range={}&limit={}&after={}",
                                         base_url(), req.path, encode(range.dump()), page_size, next);
  }
  res.status = 200;
  res.set_header(
      "X-Business-Use-Case-Usage",
      R"({"1":[{"type":"ads_insights","call_count":3,"total_cputime":2,"total_time":2,"estimated_time_to_regain_access":0}]})");
  res.set_content(page.dump(), "application/json");
}

void FakeProviders::fail_insights(int status, std::string body) {
  std::lock_guard lock(mutex_);
  insights_failure_ = std::make_pair(status, std::move(body));
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

std::vector<RecordedRequest> FakeProviders::requests_to(const std::string& path_prefix) const {
  std::vector<RecordedRequest> out;
  for (auto& r : requests()) {
    if (r.path.find(path_prefix) != std::string::npos) out.push_back(r);
  }
  return out;
}

}  // namespace otq::testing
