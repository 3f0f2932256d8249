// A local stand-in for the Meta Graph API and Shopify's OAuth endpoints, in the shapes of
// shared/fixtures/, recording every request. Tests point META_API_BASE / SHOPIFY_API_BASE at it.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <httplib.h>
#include <nlohmann/json.hpp>

namespace otq::testing {

struct RecordedRequest {
  std::string method;
  std::string path;
  std::map<std::string, std::string> query;  ///< query string, or the form fields of a form body
  std::map<std::string, std::string> headers;
  std::string body;

  static RecordedRequest of(const httplib::Request& req) {
    RecordedRequest r{req.method, req.path, {}, {}, req.body};
    for (const auto& [k, v] : req.params) r.query.emplace(k, v);
    for (const auto& [k, v] : req.headers) r.headers.emplace(k, v);
    return r;
  }
};

class FakeProviders {
 public:
  FakeProviders();
  ~FakeProviders();
  FakeProviders(const FakeProviders&) = delete;
  FakeProviders& operator=(const FakeProviders&) = delete;

  std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  /// SHOPIFY_API_BASE for this fake: shops are path prefixes.
  std::string shopify_base() const { return base_url() + "/shops/{shop}"; }

  // Meta ----------------------------------------------------------------------------------------
  static constexpr const char* kAppId = "1234567890";
  static constexpr const char* kAppSecret = "meta-app-secret-for-tests";
  static constexpr const char* kShopifyClientId = "shopify-client-id";
  static constexpr const char* kShopifyClientSecret = "shopify-client-secret-for-tests";
  static constexpr const char* kLongLivedToken = "EAAlonglivedtokenFORtests";
  static constexpr const char* kShopifyToken = "shpat_faketokenfortests";

  /// Insights rows per page (Meta's `limit`, honoured loosely as real Meta does).
  int page_size = 10;
  /// Every insights page after the first starts with the previous page's last row again (pages
  /// that overlap, as offset pages do when rows shift between requests).
  bool overlap_pages = false;
  /// Campaigns of act_1; each day of each campaign has a spend derived from (campaign, date).
  std::vector<std::string> campaigns{"c1", "c2"};
  /// Spend in cents of a campaign on a day: what the fake serves and what tests expect.
  static std::int64_t spend_cents(const std::string& campaign, const std::string& date);

  /// Insights requests answer this status and body instead (e.g. 503, or 400 code 190), with
  /// `Retry-After: 0` so the client's own retries are immediate, plus `headers` (usage headers
  /// of a throttled answer): after `after` more requests have been answered normally, `times`
  /// requests in a row (-1: every one from then on).
  void fail_insights(int status, std::string body, int times = -1, int after = 0,
                     std::map<std::string, std::string> headers = {});
  /// The next `times` insights (or orders) requests are answered only after `delay` (a client
  /// with a shorter timeout gives up on them).
  void delay_insights(std::chrono::milliseconds delay, int times);
  void delay_orders(std::chrono::milliseconds delay, int times);
  /// Meta restates a campaign's day: from now on it reports `cents` (-1: no row at all).
  void restate(const std::string& campaign, const std::string& date, std::int64_t cents);
  /// What the fake reports now for a campaign's day, restatements included (-1: no row).
  std::int64_t reported_cents(const std::string& campaign, const std::string& date) const;
  /// X-Business-Use-Case-Usage sent with every insights page (a quota nearly used up slows the
  /// sync down before Meta throttles it).
  std::string insights_usage =
      R"({"1":[{"type":"ads_insights","call_count":3,"total_cputime":2,"total_time":2,"estimated_time_to_regain_access":0}]})";
  /// A synchronous insights request for more rows than this (days x campaigns) answers Meta's
  /// "Please reduce the amount of data" (code 1, subcode 99); 0: no limit. Asynchronous reports
  /// (POST insights, poll the report run, read its rows) always work: complete at the second poll,
  /// or "Job Failed" when report_fails.
  std::int64_t sync_row_limit = 0;
  bool report_fails = false;
  /// The user's ad accounts (/me/adaccounts), served two per page.
  std::vector<std::pair<std::string, std::string>> ad_accounts{{"1", "Store ads"}};
  /// Every ad account's time zone (GET /act_N?fields=timezone_name and /me/adaccounts). Insights
  /// days are whatever time_range asks for; the connector decides which day is "today".
  std::string ad_account_timezone = "UTC";

  /// The n-th insights or orders request from now (1 = the next) blocks until release().
  void hold_request(int n);
  /// Waits until a request is being held; false on timeout.
  bool wait_held(std::chrono::milliseconds timeout);
  void release();

  // Shopify orders -------------------------------------------------------------------------------
  /// Orders of the shop (ids 1..shopify_orders), order n updated n spacings after the first day,
  /// in USD at -05:00; every fifth has one refund of a tenth of its total. A test's expected
  /// figures come from the same functions.
  int shopify_orders = 0;
  int shopify_page_size = 50;
  /// Order n is placed and updated n times this many seconds after `shopify_first_order_days_ago`.
  int shopify_order_spacing_seconds = 60;
  int shopify_first_order_days_ago = 10;
  /// Distinct customers the orders are spread over (order n is customer n % shopify_customers).
  int shopify_customers = 97;
  /// X-Shopify-Shop-Api-Call-Limit sent with every page.
  std::string shopify_call_limit = "1/40";
  static std::int64_t order_total_cents(int n);
  static std::int64_t order_refund_cents(int n);  ///< 0 when order n has no refund
  /// The next `times` orders requests answer `status` and `body` (with Retry-After: 0).
  void fail_orders(int status, std::string body, int times = 1);
  /// Order n now totals `cents`, updated now (an edit after the order was synced).
  void edit_order(int n, std::int64_t cents);
  /// Orders requests that presented kShopifyToken (a revoked token gets 401).
  bool shopify_token_revoked = false;

  std::vector<RecordedRequest> requests() const;
  std::vector<RecordedRequest> requests_to(const std::string& path_prefix) const;

 private:
  void record(const httplib::Request& req);
  /// With the lock held: blocks this request when it is the one hold_request() named.
  void hold_if_due(std::unique_lock<std::mutex>& lock);
  void insights(const httplib::Request& req, httplib::Response& res);
  void orders(const httplib::Request& req, httplib::Response& res);
  std::map<int, std::pair<std::int64_t, std::string>> edits_;  ///< n -> (cents, updated_at)
  int orders_failures_ = 0;
  std::pair<int, std::string> orders_failure_;

  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
  mutable std::mutex mutex_;
  std::condition_variable cv_;
  std::vector<RecordedRequest> requests_;
  std::optional<std::pair<int, std::string>> insights_failure_;
  std::map<std::string, std::string> insights_failure_headers_;
  int insights_failure_after_ = 0;
  int insights_failure_times_ = 0;
  std::chrono::milliseconds insights_delay_{0};
  int insights_delays_ = 0;
  std::chrono::milliseconds orders_delay_{0};
  int orders_delays_ = 0;
  std::map<std::pair<std::string, std::string>, std::int64_t> restated_;
  std::map<std::string, std::pair<std::string, nlohmann::json>> reports_;  ///< report run id -> (act, range)
  std::map<std::string, int> report_polls_;
  /// With the lock held: the delay this request owes (zero when none), counted down.
  static std::chrono::milliseconds take_delay(std::chrono::milliseconds delay, int& remaining);
  int hold_countdown_ = 0;
  bool holding_ = false;
  bool released_ = false;
};

}  // namespace otq::testing
