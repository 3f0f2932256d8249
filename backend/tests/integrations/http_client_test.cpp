// The connectors' HTTP client against a local server: retries on 429/5xx honouring Retry-After,
// no retries otherwise, failures after the last attempt, and a log without secrets. Plus money
// parsing and the Meta error mapping, which decide what is retried and what asks the user.
#include "app/connectors/http_client.hpp"

#include <atomic>
#include <set>
#include <thread>

#include <gtest/gtest.h>
#include <httplib.h>

#include "app/connectors/meta/meta_connector.hpp"
#include "app/connectors/money.hpp"
#include "app/connectors/registry.hpp"

namespace otq::connectors {
namespace {

using namespace std::chrono_literals;

struct Local {
  httplib::Server server;
  std::thread thread;
  int port = 0;
  std::atomic<int> hits{0};
  Local() {
    server.Get("/flaky", [this](const httplib::Request&, httplib::Response& res) {
      if (++hits <= 2) {
        res.status = hits == 1 ? 503 : 429;
        res.set_header("Retry-After", hits == 1 ? "2" : "1.5");
        return;
      }
      res.set_content(R"({"ok":true})", "application/json");
    });
    server.Get("/slow-down", [this](const httplib::Request&, httplib::Response& res) {
      ++hits;
      res.status = 429;
      res.set_header("Retry-After", "120");
    });
    server.Get("/missing", [this](const httplib::Request&, httplib::Response& res) {
      ++hits;
      res.status = 404;
      res.set_content(R"({"error":"nope"})", "application/json");
    });
    server.Get("/broken", [this](const httplib::Request&, httplib::Response& res) {
      ++hits;
      res.status = 500;
    });
    port = server.bind_to_any_port("127.0.0.1");
    thread = std::thread([this] { server.listen_after_bind(); });
  }
  ~Local() {
    server.stop();
    thread.join();
  }
  std::string url(const std::string& path) const { return "http://127.0.0.1:" + std::to_string(port) + path; }
};

TEST(HttpClient, RetriesThrottlingAndServerErrorsWaitingWhatTheServerAsks) {
  Local local;
  std::vector<std::chrono::milliseconds> waits;
  HttpClient client(5s, [&](std::chrono::milliseconds d) { waits.push_back(d); });
  const auto res = client.send({"GET", local.url("/flaky"), {}, {}});
  EXPECT_EQ(res.status, 200);
  EXPECT_EQ(res.body, R"({"ok":true})");
  EXPECT_EQ(res.header("content-type"), "application/json") << "headers are case-insensitive";
  EXPECT_EQ(local.hits, 3);
  ASSERT_EQ(waits.size(), 2u);
  EXPECT_EQ(waits[0], 2000ms);
  EXPECT_EQ(waits[1], 2000ms) << "fractional Retry-After rounds up";
}

TEST(HttpClient, AWaitLongerThanThePolicyAllowsFailsAtOnceWithTheWait) {
  Local local;
  std::vector<std::chrono::milliseconds> waits;
  HttpClient client(5s, [&](std::chrono::milliseconds d) { waits.push_back(d); });
  try {
    client.send({"GET", local.url("/slow-down"), {}, {}});
    FAIL() << "expected HttpFailure";
  } catch (const HttpFailure& f) {
    EXPECT_EQ(f.status, 429);
    EXPECT_EQ(f.retry_after, std::optional<std::chrono::seconds>(120s)) << "the job backs off that long instead";
  }
  EXPECT_EQ(local.hits, 1);
  EXPECT_TRUE(waits.empty());
}

TEST(HttpClient, ClientErrorsAreNotRetriedAndPersistentFailuresGiveUp) {
  Local local;
  std::vector<std::chrono::milliseconds> waits;
  HttpClient client(5s, [&](std::chrono::milliseconds d) { waits.push_back(d); });
  EXPECT_EQ(client.send({"GET", local.url("/missing"), {}, {}}).status, 404);
  EXPECT_EQ(local.hits, 1);
  EXPECT_THROW(client.send({"GET", local.url("/broken"), {}, {}}, RetryPolicy{3, 100ms, 60s}), HttpFailure);
  EXPECT_EQ(local.hits, 4) << "three attempts";
  ASSERT_EQ(waits.size(), 2u);
  EXPECT_GE(waits[0], 50ms);
  EXPECT_LE(waits[0], 100ms);
  EXPECT_GE(waits[1], 100ms) << "exponential";
  EXPECT_LE(waits[1], 200ms);
  // Nobody listening: a network failure, retried, then given up with status 0. HttpFailure is a
  // std::exception, so any catch-all for those handles it.
  const std::string closed = "http://127.0.0.1:1/";
  try {
    client.send({"GET", closed, {}, {}}, RetryPolicy{2, 1ms, 1s});
    FAIL() << "expected HttpFailure";
  } catch (const std::exception& e) {
    const auto* f = dynamic_cast<const HttpFailure*>(&e);
    ASSERT_NE(f, nullptr);
    EXPECT_EQ(f->status, 0);
    EXPECT_NE(std::string(e.what()).find("could not reach the provider"), std::string::npos);
  }
}

TEST(HttpClient, TheRequestLogRedactsSecrets) {
  EXPECT_EQ(HttpClient::redact("https://graph.facebook.com/v25.0/oauth/access_token?client_id=1&client_secret=s3cr3t"
                               "&code=abc&redirect_uri=x"),
            "https://graph.facebook.com/v25.0/oauth/access_token?client_id=1&client_secret=REDACTED&code=REDACTED"
            "&redirect_uri=x");
  EXPECT_EQ(HttpClient::redact("https://x/y?fb_exchange_token=t&access_token=u"),
            "https://x/y?fb_exchange_token=REDACTED&access_token=REDACTED");
  EXPECT_EQ(HttpClient::redact("https://x/y"), "https://x/y");
  EXPECT_EQ(HttpClient::encode("{\"since\":\"2026-11-01\"}"), "%7B%22since%22%3A%222026-11-01%22%7D");
  EXPECT_EQ(parse_retry_after("2.0"), std::optional<std::chrono::seconds>(2s));
  EXPECT_FALSE(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT").has_value());
}

TEST(Money, DecimalStringsBecomeMinorUnitsWithoutFloats) {
  EXPECT_EQ(decimal_to_minor("14.35", 2), 1435);
  EXPECT_EQ(decimal_to_minor("0.1", 2), 10);
  EXPECT_EQ(decimal_to_minor("598.94", 2), 59894);
  EXPECT_EQ(decimal_to_minor("1500", 0), 1500);
  EXPECT_EQ(decimal_to_minor("1.2345", 3), 1235) << "half up on the first dropped digit";
  EXPECT_EQ(decimal_to_minor("0.004", 2), 0);
  EXPECT_EQ(decimal_to_minor("-10.00", 2), -1000) << "WooCommerce refunds on the order are negative";
  EXPECT_EQ(decimal_to_minor("20", 2), 2000);
  EXPECT_EQ(decimal_to_minor("5.", 2), 500);
  for (const char* bad : {"", "abc", "1,5", "1.2.3", "1e3", ".", "--1"}) {
    EXPECT_FALSE(decimal_to_minor(bad, 2).has_value()) << bad;
  }
  EXPECT_FALSE(decimal_to_minor("99999999999999999999999", 2).has_value()) << "overflow is refused";
  EXPECT_EQ(currency_exponent("JPY"), 0);
  EXPECT_EQ(currency_exponent("KWD"), 3);
  EXPECT_EQ(currency_exponent("EUR"), 2);
}

TEST(MetaConnector, InsightsPagesAndErrorsMapAsTheContractSays) {
  // A page in the shape of shared/fixtures/facebook/insights_campaign_daily_with_purchases.
  meta::InsightsReader reader;
  const std::string page = (R"({"data": [
    {"account_id": "111", "account_currency": "EUR", "campaign_id": "1202", "campaign_name": "Prospecting",
     "date_start": "2026-11-01", "date_stop": "2026-11-01", "spend": "123.45", "impressions": "18230",
     "clicks": "412",
     "actions": [{"action_type": "omni_purchase", "value": "9"}, {"action_type": "purchase", "value": "9"}],
     "action_values": [{"action_type": "omni_purchase", "value": "612.80"}]},
    {"account_id": "111", "account_currency": "EUR", "campaign_id": "1203", "date_start": "2026-11-01",
     "spend": "0"}],
    "paging": {"cursors": {"before": "MAZDZD", "after": "MQZDZD"},
               "next": "https:\/\/graph.facebook.com\/v21.0\/act_111\/insights?after=MQZDZD"}})");
  const auto read = reader.read(page, "act_111", "omni_purchase");
  ASSERT_TRUE(read.errors.empty());
  EXPECT_EQ(read.next, "https://graph.facebook.com/v21.0/act_111/insights?after=MQZDZD");
  const auto& rows = read.rows;
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].spend, 12345);
  EXPECT_EQ(rows[0].conversions, "9") << "one purchase type, never the sum of overlapping ones";
  EXPECT_EQ(rows[0].conversion_value, 61280);
  EXPECT_EQ(rows[0].impressions, 18230);
  EXPECT_EQ(rows[1].conversions, "0") << "a missing key is zero";

  auto error_of = [](long status, const std::string& body, std::map<std::string, std::string> headers = {}) {
    HttpResponse res;
    res.status = status;
    res.body = body;
    for (auto& [k, v] : headers) res.headers[k] = v;
    try {
      meta::raise_for(res);
    } catch (const NeedsUser& e) {
      return std::string("needs_user: ") + e.what();
    } catch (const Transient& e) {
      return "transient " + std::to_string(e.retry_after().value_or(0s).count()) + ": " + e.what();
    }
    return std::string("nothing");
  };
  EXPECT_TRUE(error_of(400, R"({"error":{"message":"Session expired","code":190}})").starts_with("needs_user"));
  EXPECT_NE(error_of(400, R"({"error":{"message":"x","code":190}})").find("Reconnect Meta"), std::string::npos);
  EXPECT_TRUE(
      error_of(400, R"({"error":{"message":"User request limit reached","code":17}})").starts_with("transient 0"));
  EXPECT_TRUE(error_of(400, R"({"error":{"message":"too many calls","code":80000,"error_subcode":2446079}})",
                       {{"X-Business-Use-Case-Usage",
                         R"({"111":[{"type":"ads_insights","call_count":100,"estimated_time_to_regain_access":7}]})"}})
                  .starts_with("transient 420"))
      << "waits the minutes Meta estimates";
  EXPECT_TRUE(error_of(500, R"({"error":{"message":"An unknown error occurred","code":1,"is_transient":true}})")
                  .starts_with("transient"));
  EXPECT_TRUE(error_of(400, R"({"error":{"message":"Unsupported get request","code":100}})").starts_with("needs_user"))
      << "a configuration problem is not retried";
  HttpResponse too_much;
  too_much.status = 400;
  too_much.body = R"({"error":{"message":"Please reduce the amount of data you're asking for","code":1,)"
                  R"("error_subcode":99}})";
  EXPECT_THROW(meta::raise_for(too_much), meta::TooMuchData) << "read through an asynchronous report instead";

  // Zero-decimal and three-decimal currencies: minor units as the currency defines them.
  const auto minor = reader
                         .read(R"({"data": [
    {"account_currency": "JPY", "campaign_id": "1", "date_start": "2026-11-01", "spend": "1234",
     "action_values": [{"action_type": "omni_purchase", "value": "5600"}]},
    {"account_currency": "KWD", "campaign_id": "2", "date_start": "2026-11-01", "spend": "1.234"}]})",
                               "act_1", "omni_purchase")
                         .rows;
  ASSERT_EQ(minor.size(), 2u);
  EXPECT_EQ(minor[0].spend, 1234);
  EXPECT_EQ(minor[0].conversion_value, 5600);
  EXPECT_EQ(minor[1].spend, 1234);
}

TEST(MetaConnector, InsightsPagesInAnyFieldOrderWithNumbersEscapesAndBadRows) {
  meta::InsightsReader reader;
  // Fields in another order (the currency after the amounts it scales), numbers where Meta usually
  // sends strings, escaped names, unknown fields and nested objects to skip, a null next.
  const auto read = reader.read(R"({"paging": {"next": null}, "data": [
    {"action_values": [{"action_type": "purchase", "value": 1}, {"action_type": "omni_purchase", "value": 12.5}],
     "spend": 10.05, "impressions": 1000, "clicks": 20, "campaign_id": 1202, "campaign_name": "Caf\u00e9 \"VIP\"",
     "unknown": {"deep": [1, {"x": [2]}]}, "date_start": "2026-11-02", "account_currency": "EUR",
     "actions": [{"value": "3", "action_type": "omni_purchase"}, {"action_type": "omni_purchase", "value": "99"}]},
    {"campaign_id": "1203", "date_start": "2026-11-31", "account_currency": "EUR", "spend": "1"},
    {"campaign_id": "1204", "date_start": "2026-11-02", "account_currency": "EUR", "spend": "-1"},
    {"campaign_id": "1205", "date_start": "2026-11-02", "account_currency": "EUR", "spend": "1",
     "actions": [{"action_type": "omni_purchase", "value": "many"}]},
    "not a row",
    {"campaign_id": "1206", "date_start": "2026-11-02", "account_currency": "EUR", "spend": {"amount": 1}}]})",
                                "act_111", "omni_purchase");
  ASSERT_EQ(read.rows.size(), 1u);
  EXPECT_EQ(read.next, "");
  const auto& row = read.rows[0];
  EXPECT_EQ(row.campaign_id, "1202");
  EXPECT_EQ(row.campaign_name, "Caf\u00e9 \"VIP\"") << "escapes decoded";
  EXPECT_EQ(row.date, "2026-11-02");
  EXPECT_EQ(row.spend, 1005);
  EXPECT_EQ(row.impressions, 1000);
  EXPECT_EQ(row.clicks, 20);
  EXPECT_EQ(row.conversions, "3") << "the first entry of the purchase type";
  EXPECT_EQ(row.conversion_value, 1250);
  ASSERT_EQ(read.errors.size(), 5u) << "an impossible date, a negative spend, a count that is not a number, a row "
                                       "that is not an object, an amount that is an object";
  EXPECT_NE(read.errors[0].find("1203"), std::string::npos) << read.errors[0];

  // Not JSON (cut short, trailing garbage) and JSON that is not a page: the run fails, retried.
  for (const char* body : {R"({"data": [{"campaign_id": "c1", )", R"({"data": []} {"data": []})", "", "nul"}) {
    try {
      reader.read(body, "act_1", "omni_purchase");
      ADD_FAILURE() << "read: " << body;
    } catch (const Transient& e) {
      EXPECT_NE(std::string(e.what()).find("not JSON"), std::string::npos) << body << ": " << e.what();
    }
  }
  for (const char* body : {R"(["not", "a", "page"])", R"({"error": "x"})", R"({"data": {"rows": []}})", "42"}) {
    try {
      reader.read(body, "act_1", "omni_purchase");
      ADD_FAILURE() << "read: " << body;
    } catch (const Transient& e) {
      EXPECT_NE(std::string(e.what()).find("not a page of insights"), std::string::npos) << body << ": " << e.what();
    }
  }
  EXPECT_EQ(reader.read(R"({"data": []})", "act_1", "omni_purchase").rows.size(), 0u) << "the reader still works";
}

TEST(Registry, EveryProviderIsListedOnceAndSyncsExactlyWhenAConnectorExists) {
  std::set<std::string> ids;
  for (const auto& p : providers()) {
    EXPECT_TRUE(ids.insert(p.id).second) << p.id;
    EXPECT_EQ(make_connector(p.id) != nullptr, p.syncs) << p.id << ": registry.cpp's syncs flag and make_connector";
    EXPECT_TRUE(!p.syncs || p.connectable) << p.id << " syncs but cannot be connected";
    EXPECT_EQ(find_provider(p.id), &p);
  }
  EXPECT_EQ(ids, (std::set<std::string>{"facebook_ads", "shopify", "google_ads", "tiktok_ads", "ga4", "woocommerce"}))
      << "the providers of the database's integrations.provider check";
  EXPECT_EQ(find_provider("myspace"), nullptr);
}

}  // namespace
}  // namespace otq::connectors
