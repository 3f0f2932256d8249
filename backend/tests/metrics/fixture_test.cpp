// A hand-built store whose every KPI is worked out by hand below, through the real server.
//
// Account: America/New_York, USD. Current range R = 2026-03-01..2026-03-10 (US DST starts on
// 2026-03-08: EST, UTC-5, before; EDT, UTC-4, after). Previous period P = 2026-02-19..2026-02-28.
//
// clang-format off
//   order  customer  placed (UTC)            local day   amount     source     notes
//   A      c1        2026-02-20T15:00Z       02-20 (P)   USD 50.00  none       c1's first order
//   L      guest     2026-02-22T12:00Z       02-22 (P)   EUR 40.00  none       USD→EUR 0.8 that day: 1.25 → USD 50.00
//   C      c2        2026-03-01T04:59Z       02-28 (P)   USD 70.00  google     03:59 UTC is still Feb 28 in New York
//   B      c1        2026-03-02T03:30Z       03-01 (R)   USD 100.00 facebook   c1 returns
//   K      guest     2026-03-04T12:00Z       03-04 (R)   EUR 20.00  none       no EUR rate in the 7 days before: missing
//   H      c5        2026-03-05T12:00Z       03-05 (R)   USD 500.00 facebook   cancelled: excluded
//   I      c5        2026-03-06T12:00Z       03-06 (R)   USD 600.00 facebook   test order: excluded
//   J      guest     2026-03-07T12:00Z       03-07 (R)   EUR 100.00 none       Saturday: Friday's 1.10 → USD 110.00
//   D      c2        2026-03-08T06:30Z       03-08 (R)   USD 30.00  tiktok     01:30 EST, just before the switch
//   E      c3        2026-03-09T03:30Z       03-08 (R)   USD 200.00 facebook   23:30 EDT; c3's first order
//   M      guest     2026-03-09T04:15Z       03-09 (R)   USD 10.00  none       00:15 EDT (a fixed UTC-5 would say 03-08)
//   F      c3        2026-03-11T03:30Z       03-10 (R)   USD 40.00  none       last evening of the range
//   G      c4        2026-03-11T04:30Z       03-11       USD 99.99  none       after the range
// clang-format on
//
//   refunds: on A 2026-03-03T15:00Z USD 15.00 (R: counted when it happens); on B 2026-03-11T02:00Z
//   USD 25.00 (22:00 EDT on 03-10: R); on H USD 500.00 (order cancelled: excluded); on E
//   2026-03-12 USD 10.00 (after R).
//   spend: facebook fb1 03-01 100.00 (20000 impr, 300 clicks, 5 conv, 300.00 value), fb1 03-08
//   50.00 (10000, 100, 2, 90.00), google g1 03-10 80.00 (4000, 400, 3.5, 210.00), tiktok t1 03-05
//   EUR 20.00 (5000, 50, 1, EUR 30.00: no rate, missing), tiktok t1 03-11 70.00 (after R), fb1
//   02-25 60.00 (12000, 120, 1, 50.00) in P.
#include <gtest/gtest.h>
#include <pqxx/pqxx>

#include "tests/support/api_client.hpp"
#include "tests/support/pg.hpp"
#include "tests/support/process.hpp"

namespace otq::testing {
namespace {

using nlohmann::json;

struct Store {
  TestDatabase db;
  ServerProcess server = start_server(db.url());
  ApiClient api{server.port};
  Person owner = signup(api, "owner@example.com", "Hand-built store");
  std::int64_t account = 0;

  Store() {
    db.set_plan(owner.account_id, "agency");  // the fixture's dates lie before the Free plan's 90 days
    const auto patched = api.send("PATCH", "/api/v1/accounts/current", owner.token,
                                  {{"timezone", "America/New_York"}, {"currency", "USD"}});
    EXPECT_EQ(patched.status, 200) << patched.body;
    pqxx::connection c(db.url());
    pqxx::work tx(c);
    account = tx.exec_params1("SELECT id FROM accounts WHERE public_id = $1", owner.account_id)[0].as<std::int64_t>();
    load(tx);
    tx.commit();
  }

  void load(pqxx::work& tx) const {
    for (int i = 1; i <= 5; ++i) {
      tx.exec_params0("INSERT INTO customers (account_id, platform, external_id, email) VALUES ($1, 'shopify', $2, $3)",
                      account, "c" + std::to_string(i), "c" + std::to_string(i) + "@example.com");
    }
    struct O {
      const char* key;
      const char* customer;  // "" = guest
      const char* placed;
      const char* currency;
      long total;
      const char* source;
      const char* cancelled;
      bool test;
    };
    const O orders[] = {
        {"A", "c1", "2026-02-20T15:00Z", "USD", 5000, "", "", false},
        {"L", "", "2026-02-22T12:00Z", "EUR", 4000, "", "", false},
        {"C", "c2", "2026-03-01T04:59Z", "USD", 7000, "google", "", false},
        {"B", "c1", "2026-03-02T03:30Z", "USD", 10000, "facebook", "", false},
        {"K", "", "2026-03-04T12:00Z", "EUR", 2000, "", "", false},
        {"H", "c5", "2026-03-05T12:00Z", "USD", 50000, "facebook", "2026-03-05T13:00Z", false},
        {"I", "c5", "2026-03-06T12:00Z", "USD", 60000, "facebook", "", true},
        {"J", "", "2026-03-07T12:00Z", "EUR", 10000, "", "", false},
        {"D", "c2", "2026-03-08T06:30Z", "USD", 3000, "tiktok", "", false},
        {"E", "c3", "2026-03-09T03:30Z", "USD", 20000, "facebook", "", false},
        {"M", "", "2026-03-09T04:15Z", "USD", 1000, "", "", false},
        {"F", "c3", "2026-03-11T03:30Z", "USD", 4000, "", "", false},
        {"G", "c4", "2026-03-11T04:30Z", "USD", 9999, "", "", false},
    };
    // One statement per order: the rollup triggers run for each, as they would for an ingest.
    for (const auto& o : orders) {
      tx.exec_params0(R"sql(
INSERT INTO orders (account_id, public_id, platform, external_id, order_number, customer_id, email, placed_at,
                    currency, total_minor, utm_source, utm_medium, cancelled_at, is_test, financial_status)
VALUES ($1, 'ord_' || rpad($2, 22, 'x'), 'shopify', $2, '#' || $2,
        (SELECT id FROM customers WHERE account_id = $1 AND external_id = nullif($3, '')),
        coalesce(nullif($3, '') || '@example.com', 'guest@example.net'), $4::timestamptz, $5, $6, nullif($7, ''),
        CASE $7 WHEN 'facebook' THEN 'paid_social' WHEN 'tiktok' THEN 'paid_social' WHEN 'google' THEN 'cpc' END,
        nullif($8, '')::timestamptz, $9, 'paid'))sql",
                      account, o.key, o.customer, o.placed, o.currency, o.total, o.source, o.cancelled, o.test);
    }
    const char* refunds[][4] = {{"A", "2026-03-03T15:00Z", "1500", "r1"},
                                {"B", "2026-03-11T02:00Z", "2500", "r2"},
                                {"H", "2026-03-05T14:00Z", "50000", "r3"},
                                {"E", "2026-03-12T12:00Z", "1000", "r4"}};
    for (const auto& r : refunds) {
      tx.exec_params0(
          "INSERT INTO order_refunds (account_id, order_id, platform, external_id, refunded_at, currency, "
          "amount_minor) "
          "SELECT $1, id, 'shopify', $4, $2::timestamptz, currency, $3 FROM orders WHERE account_id = $1 AND "
          "external_id = $5",
          account, r[1], std::stol(r[2]), r[3], r[0]);
    }
    struct S {
      const char* platform;
      const char* campaign;
      const char* name;
      const char* date;
      const char* currency;
      long spend, impressions, clicks;
      const char* conversions;
      long value;
    };
    const S spend[] = {
        {"facebook_ads", "fb1", "Prospecting", "2026-03-01", "USD", 10000, 20000, 300, "5", 30000},
        {"facebook_ads", "fb1", "Prospecting - Broad", "2026-03-08", "USD", 5000, 10000, 100, "2", 9000},
        {"google_ads", "g1", "Brand Search", "2026-03-10", "USD", 8000, 4000, 400, "3.5", 21000},
        {"tiktok_ads", "t1", "Spark", "2026-03-05", "EUR", 2000, 5000, 50, "1", 3000},
        {"tiktok_ads", "t1", "Spark", "2026-03-11", "USD", 7000, 9000, 90, "1", 5000},
        {"facebook_ads", "fb1", "Prospecting", "2026-02-25", "USD", 6000, 12000, 120, "1", 5000},
    };
    for (const auto& s : spend) {
      tx.exec_params0(
          "INSERT INTO ad_spend (account_id, platform, ad_account_id, campaign_id, date, campaign_name, currency, "
          "spend_minor, impressions, clicks, conversions, conversion_value_minor) "
          "VALUES ($1, $2, 'acc', $3, $4, $5, $6, $7, $8, $9, $10::numeric, $11)",
          account, s.platform, s.campaign, s.date, s.name, s.currency, s.spend, s.impressions, s.clicks, s.conversions,
          s.value);
    }
    tx.exec0(
        "INSERT INTO fx_rates (date, base, quote, rate, source) VALUES "
        "('2026-03-06', 'EUR', 'USD', 1.10, 'test'), ('2026-02-22', 'USD', 'EUR', 0.8, 'test')");
  }

  json get(const std::string& path) {
    const auto r = api.get(path, owner.token);
    EXPECT_EQ(r.status, 200) << path << " " << r.body;
    return r.body;
  }
};

TEST(MetricsFixture, SummaryMatchesTheHandComputedFigures) {
  Store s;
  const auto body = s.get("/api/v1/metrics/summary?from=2026-03-01&to=2026-03-10&compare=previous_period");
  const auto& d = body["data"];
  EXPECT_EQ(d["timezone"], "America/New_York");
  EXPECT_EQ(d["currency"], "USD");
  EXPECT_EQ(d["compare"], json({{"from", "2026-02-19"}, {"to", "2026-02-28"}}));
  const auto& m = d["metrics"];
  auto v = [&](const char* name) { return m[name]["value"]; };
  auto p = [&](const char* name) { return m[name]["previous"]; };

  EXPECT_EQ(v("orders"), 7);       // B D E F J K M
  EXPECT_EQ(v("revenue"), 49000);  // 100 + 30 + 200 + 40 + 110 (J) + 10; K has no rate
  EXPECT_EQ(v("refunds"), 4000);   // 15 (on A, from P) + 25 (on B, 22:00 EDT on 03-10)
  EXPECT_EQ(v("net_revenue"), 45000);
  EXPECT_EQ(v("spend"), 23000);  // 100 + 50 + 80; TikTok's EUR 20 has no rate
  EXPECT_EQ(v("aov"), 7000);
  EXPECT_DOUBLE_EQ(v("roas").get<double>(), 2.1304);  // 490 / 230
  EXPECT_DOUBLE_EQ(v("mer").get<double>(), 1.9565);   // 450 / 230
  EXPECT_EQ(v("new_customers"), 1);                   // c3
  EXPECT_EQ(v("returning_customers"), 2);             // c1, c2 (c3's second order is not "returning")
  EXPECT_EQ(v("ncac"), 23000);
  EXPECT_EQ(v("impressions"), 39000);  // impressions and clicks need no rate
  EXPECT_EQ(v("clicks"), 850);
  EXPECT_DOUBLE_EQ(v("ctr").get<double>(), 0.021795);
  EXPECT_EQ(v("cpc"), 27);   // 23000 / 850 = 27.06
  EXPECT_EQ(v("cpm"), 590);  // 23000000 / 39000 = 589.7
  EXPECT_DOUBLE_EQ(v("conversions").get<double>(), 11.5);
  EXPECT_EQ(v("conversion_value"), 60000);
  EXPECT_DOUBLE_EQ(v("platform_roas").get<double>(), 2.6087);

  EXPECT_EQ(p("orders"), 3);       // A, L, C (04:59 UTC on 03-01 is 23:59 on 02-28)
  EXPECT_EQ(p("revenue"), 17000);  // 50 + 50 (EUR 40 at 1 / 0.8) + 70
  EXPECT_EQ(p("refunds"), 0);
  EXPECT_EQ(p("spend"), 6000);
  EXPECT_EQ(p("new_customers"), 2);
  EXPECT_EQ(p("returning_customers"), 0);
  EXPECT_EQ(p("aov"), 5667);  // 17000 / 3, rounded half away from zero
  EXPECT_EQ(m["revenue"]["delta"], 32000);
  EXPECT_DOUBLE_EQ(m["revenue"]["delta_relative"].get<double>(), 1.8824);
  EXPECT_EQ(m["new_customers"]["delta"], -1);
  EXPECT_DOUBLE_EQ(m["new_customers"]["delta_relative"].get<double>(), -0.5);
  EXPECT_TRUE(m["returning_customers"]["delta_relative"].is_null()) << "no relative change from zero";
  EXPECT_EQ(m["returning_customers"]["delta"], 2);

  // Which rates were missing, so the user knows the figures exclude them.
  EXPECT_EQ(d["missing_fx_rates"], json::parse(R"([{"from":"EUR","to":"USD","date":"2026-03-04"},
                                                   {"from":"EUR","to":"USD","date":"2026-03-05"}])"));
}

TEST(MetricsFixture, PlatformFilterUsesThatPlatformsSpendAndTheOrdersItsUtmsBrought) {
  Store s;
  const auto m =
      s.get("/api/v1/metrics/summary?from=2026-03-01&to=2026-03-10&platform=facebook_ads")["data"]["metrics"];
  EXPECT_EQ(m["spend"]["value"], 15000);
  EXPECT_EQ(m["orders"]["value"], 2);  // B, E
  EXPECT_EQ(m["revenue"]["value"], 30000);
  EXPECT_EQ(m["refunds"]["value"], 2500);  // on B
  EXPECT_EQ(m["new_customers"]["value"], 1);
  EXPECT_TRUE(m["returning_customers"]["value"].is_null()) << "repeat purchases are not one platform's";
  EXPECT_DOUBLE_EQ(m["roas"]["value"].get<double>(), 2.0);
}

TEST(MetricsFixture, TimeseriesBucketsAreLocalDaysAndMondayWeeksZeroFilled) {
  Store s;
  const auto days =
      s.get("/api/v1/metrics/timeseries?from=2026-03-01&to=2026-03-10&metrics=orders,revenue,spend")["data"]["series"]
                                                                                                    [0]["points"];
  ASSERT_EQ(days.size(), 10u) << "one point per day, none missing";
  const json expected_revenue = {10000, 0, 0, 0, 0, 0, 11000, 23000, 1000, 4000};  // 03-04 (K) has no rate
  const json expected_orders = {1, 0, 0, 1, 0, 0, 1, 2, 1, 1};
  const json expected_spend = {10000, 0, 0, 0, 0, 0, 0, 5000, 0, 8000};
  for (std::size_t i = 0; i < days.size(); ++i) {
    EXPECT_EQ(days[i]["start"], days[i]["end"]);
    EXPECT_EQ(days[i]["revenue"], expected_revenue[i]) << days[i]["start"];
    EXPECT_EQ(days[i]["orders"], expected_orders[i]) << days[i]["start"];
    EXPECT_EQ(days[i]["spend"], expected_spend[i]) << days[i]["start"];
  }
  EXPECT_EQ(days[8]["start"], "2026-03-09");
  EXPECT_EQ(days[8]["orders"], 1) << "M at 04:15 UTC is 00:15 EDT on 03-09";

  // 2026-03-01 is a Sunday: the first week is that one day, then Monday to Sunday, then the rest.
  const auto weeks = s.get(
      "/api/v1/metrics/timeseries?from=2026-03-01&to=2026-03-10&interval=week&metrics=revenue,orders,"
      "returning_customers")["data"]["series"][0]["points"];
  ASSERT_EQ(weeks.size(), 3u);
  EXPECT_EQ(weeks[0]["start"], "2026-03-01");
  EXPECT_EQ(weeks[0]["end"], "2026-03-01");
  EXPECT_EQ(weeks[1]["start"], "2026-03-02");
  EXPECT_EQ(weeks[1]["end"], "2026-03-08");
  EXPECT_EQ(weeks[2]["start"], "2026-03-09");
  EXPECT_EQ(weeks[2]["end"], "2026-03-10");
  EXPECT_EQ(weeks[0]["revenue"], 10000);
  EXPECT_EQ(weeks[1]["revenue"], 34000);
  EXPECT_EQ(weeks[2]["revenue"], 5000);
  // Returning within each week: c1 (B), c2 (D), then c3 whose 03-10 order follows 03-08.
  EXPECT_EQ(weeks[0]["returning_customers"], 1);
  EXPECT_EQ(weeks[1]["returning_customers"], 1);
  EXPECT_EQ(weeks[2]["returning_customers"], 1);

  const auto months =
      s.get("/api/v1/metrics/timeseries?from=2026-02-19&to=2026-03-10&interval=month&metrics=revenue")["data"]["series"]
                                                                                                      [0]["points"];
  ASSERT_EQ(months.size(), 2u);
  EXPECT_EQ(months[0], json({{"start", "2026-02-19"}, {"end", "2026-02-28"}, {"revenue", 17000}}));
  EXPECT_EQ(months[1], json({{"start", "2026-03-01"}, {"end", "2026-03-10"}, {"revenue", 49000}}));

  const auto by_platform = s.get(
      "/api/v1/metrics/timeseries?from=2026-03-01&to=2026-03-10&interval=month&metrics="
      "revenue,spend&group_by=platform")["data"]["series"];
  ASSERT_EQ(by_platform.size(), 4u);
  std::map<std::string, std::pair<long, long>> got;
  for (const auto& series : by_platform) {
    got[series["key"]] = {series["points"][0]["revenue"], series["points"][0]["spend"]};
  }
  EXPECT_EQ(got["facebook_ads"], std::make_pair(30000L, 15000L));
  EXPECT_EQ(got["google_ads"], std::make_pair(0L, 8000L));
  EXPECT_EQ(got["tiktok_ads"], std::make_pair(3000L, 0L));
  EXPECT_EQ(got["unattributed"], std::make_pair(16000L, 0L));
}

TEST(MetricsFixture, CampaignsCarryPlatformFiguresTotalsAndShareOfSpend) {
  Store s;
  const auto body = s.get("/api/v1/metrics/campaigns?from=2026-03-01&to=2026-03-10");
  const auto& rows = body["data"];
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0]["campaign_id"], "fb1");
  EXPECT_EQ(rows[0]["name"], "Prospecting - Broad") << "the latest name in the range";
  EXPECT_EQ(rows[0]["spend"], 15000);
  EXPECT_EQ(rows[0]["impressions"], 30000);
  EXPECT_EQ(rows[0]["clicks"], 400);
  EXPECT_DOUBLE_EQ(rows[0]["ctr"].get<double>(), 0.013333);
  EXPECT_EQ(rows[0]["cpc"], 38);  // 15000 / 400 = 37.5 → 38
  EXPECT_EQ(rows[0]["cpm"], 500);
  EXPECT_DOUBLE_EQ(rows[0]["conversions"].get<double>(), 7.0);
  EXPECT_EQ(rows[0]["conversion_value"], 39000);
  EXPECT_DOUBLE_EQ(rows[0]["platform_roas"].get<double>(), 2.6);
  EXPECT_DOUBLE_EQ(rows[0]["share_of_spend"].get<double>(), 0.6522);
  EXPECT_EQ(rows[1]["campaign_id"], "g1");
  EXPECT_EQ(rows[2]["campaign_id"], "t1");
  EXPECT_EQ(rows[2]["spend"], 0) << "its only spend in range is EUR without a rate";
  EXPECT_TRUE(rows[2]["platform_roas"].is_null()) << "zero denominator";
  EXPECT_EQ(body["totals"]["spend"], 23000);
  EXPECT_EQ(body["totals"]["campaigns"], 3);
  EXPECT_EQ(body["missing_fx_rates"].size(), 1u);

  const auto by_cpc = s.get("/api/v1/metrics/campaigns?from=2026-03-01&to=2026-03-10&sort=cpc&order=asc&limit=2");
  EXPECT_EQ(by_cpc["data"][0]["campaign_id"], "t1");  // 0 / 50 = 0
  EXPECT_EQ(by_cpc["data"][1]["campaign_id"], "g1");  // 20
  ASSERT_TRUE(by_cpc["next_cursor"].is_string());
  const auto page2 =
      s.get("/api/v1/metrics/campaigns?from=2026-03-01&to=2026-03-10&sort=cpc&order=asc&limit=2&cursor=" +
            by_cpc["next_cursor"].get<std::string>());
  ASSERT_EQ(page2["data"].size(), 1u);
  EXPECT_EQ(page2["data"][0]["campaign_id"], "fb1");
  EXPECT_TRUE(page2["next_cursor"].is_null());

  const auto search = s.get("/api/v1/metrics/campaigns?from=2026-03-01&to=2026-03-10&q=brand");
  ASSERT_EQ(search["data"].size(), 1u);
  EXPECT_EQ(search["data"][0]["name"], "Brand Search");
  EXPECT_EQ(search["totals"]["spend"], 8000);
  EXPECT_EQ(s.get("/api/v1/metrics/campaigns?from=2026-03-01&to=2026-03-10&q=100%25")["data"].size(), 0u)
      << "% is matched literally";
}

TEST(MetricsFixture, OrdersListEveryOrderWithStatusRefundsAndCustomerType) {
  Store s;
  std::vector<json> all;
  std::string cursor;
  for (int page = 0; page < 5; ++page) {
    const auto body = s.get("/api/v1/metrics/orders?from=2026-03-01&to=2026-03-10&limit=4" +
                            (cursor.empty() ? "" : "&cursor=" + cursor));
    for (const auto& o : body["data"]) all.push_back(o);
    if (body["next_cursor"].is_null()) break;
    cursor = body["next_cursor"];
  }
  std::vector<std::string> numbers;
  for (const auto& o : all) numbers.push_back(o["number"]);
  EXPECT_EQ(numbers, (std::vector<std::string>{"#F", "#M", "#E", "#D", "#J", "#I", "#H", "#K", "#B"}));
  const auto& f = all[0];
  EXPECT_EQ(f["placed_at"], "2026-03-11T03:30:00.000000Z");
  EXPECT_EQ(f["placed_at_local"], "2026-03-10T23:30:00-04:00");
  EXPECT_EQ(f["customer"]["email"], "c***@example.com");
  EXPECT_EQ(f["customer"]["type"], "returning");
  const auto& b = all[8];
  EXPECT_EQ(b["placed_at_local"], "2026-03-01T22:30:00-05:00");
  EXPECT_EQ(b["refunds"], 2500);
  EXPECT_EQ(b["net"], 7500);
  EXPECT_EQ(b["source"]["channel"], "facebook_ads");
  EXPECT_EQ(all[2]["customer"]["type"], "new");  // E
  EXPECT_EQ(all[5]["status"], "test");
  EXPECT_EQ(all[6]["status"], "cancelled");
  EXPECT_TRUE(all[6]["customer"]["type"].is_null());

  const auto cancelled = s.get("/api/v1/metrics/orders?from=2026-03-01&to=2026-03-10&status=cancelled")["data"];
  ASSERT_EQ(cancelled.size(), 1u);
  EXPECT_EQ(cancelled[0]["number"], "#H");
  const auto by_total = s.get("/api/v1/metrics/orders?from=2026-03-01&to=2026-03-10&sort=total&limit=2")["data"];
  EXPECT_EQ(by_total[0]["number"], "#I");
  EXPECT_EQ(by_total[1]["number"], "#H");
  const auto found = s.get("/api/v1/metrics/orders?from=2026-03-01&to=2026-03-10&q=%23E")["data"];
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0]["total"], 20000);
}

TEST(MetricsFixture, OrdersCsvStreamsTheSameRows) {
  Store s;
  const auto r = s.api.raw().Get("/api/v1/metrics/orders.csv?from=2026-03-01&to=2026-03-10",
                                 httplib::Headers{{"Authorization", "Bearer " + s.owner.token}});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->get_header_value("Content-Type"), "text/csv; charset=utf-8");
  EXPECT_EQ(r->get_header_value("Transfer-Encoding"), "chunked");
  std::vector<std::string> lines;
  std::size_t at = 0;
  while (at < r->body.size()) {
    const auto end = r->body.find("\r\n", at);
    lines.push_back(r->body.substr(at, end - at));
    at = end + 2;
  }
  ASSERT_EQ(lines.size(), 10u) << r->body;
  EXPECT_TRUE(lines[0].starts_with("order_id,number,placed_at,placed_at_utc,customer"));
  EXPECT_NE(lines[1].find(",#F,2026-03-10T23:30:00-04:00,2026-03-11T03:30:00.000000Z,c***@example.com,returning,USD,"
                          "40.00,0.00,40.00,paid,"),
            std::string::npos)
      << lines[1];
  EXPECT_NE(lines[9].find(",USD,100.00,25.00,75.00,paid,"), std::string::npos) << lines[9];
}

TEST(MetricsFixture, ChannelsSplitSpendAndOrdersByPlatformAndUnattributed) {
  Store s;
  const auto body = s.get("/api/v1/metrics/channels?from=2026-03-01&to=2026-03-10");
  std::map<std::string, json> by;
  for (const auto& row : body["data"]) by[row["channel"]] = row;
  EXPECT_EQ(by["facebook_ads"]["spend"], 15000);
  EXPECT_EQ(by["facebook_ads"]["orders"], 2);
  EXPECT_EQ(by["facebook_ads"]["revenue"], 30000);
  EXPECT_DOUBLE_EQ(by["facebook_ads"]["roas"].get<double>(), 2.0);
  EXPECT_EQ(by["tiktok_ads"]["orders"], 1);
  EXPECT_TRUE(by["tiktok_ads"]["roas"].is_null());
  EXPECT_EQ(by["unattributed"]["orders"], 4);  // F, J, K, M
  EXPECT_EQ(by["unattributed"]["revenue"], 16000);
  EXPECT_EQ(body["totals"]["revenue"], 49000);
  EXPECT_EQ(body["totals"]["spend"], 23000);
  EXPECT_EQ(body["totals"]["orders"], 7);
}

TEST(MetricsFixture, ChangingTheTimeZoneMovesOrdersToTheirNewLocalDays) {
  Store s;
  ASSERT_EQ(s.api.send("PATCH", "/api/v1/accounts/current", s.owner.token, {{"timezone", "UTC"}}).status, 200);
  const auto m = s.get("/api/v1/metrics/summary?from=2026-03-01&to=2026-03-10")["data"]["metrics"];
  // In UTC, C (03-01 04:59Z) joins the range; F (03-11 03:30Z) leaves it.
  EXPECT_EQ(m["orders"]["value"], 7);  // C B K J D E M
  EXPECT_EQ(m["revenue"]["value"], 49000 + 7000 - 4000);
}

TEST(MetricsFixture, CachedAnswersChangeAsSoonAsTheDataOrRatesDo) {
  Store s;
  const std::string path = "/api/v1/metrics/summary?from=2026-03-01&to=2026-03-10";
  EXPECT_EQ(s.get(path)["data"]["metrics"]["orders"]["value"], 7);
  EXPECT_EQ(s.get(path)["data"]["metrics"]["orders"]["value"], 7);  // now from the cache
  {
    pqxx::connection c(s.db.url());
    pqxx::work tx(c);
    tx.exec_params0(
        "INSERT INTO orders (account_id, public_id, platform, external_id, placed_at, currency, total_minor) "
        "VALUES ($1, 'ord_NNNNNNNNNNNNNNNNNNNNNN', 'shopify', 'N', '2026-03-05T15:00Z', 'USD', 123)",
        s.account);
    tx.commit();
  }
  const auto after = s.get(path)["data"];
  EXPECT_EQ(after["metrics"]["orders"]["value"], 8) << "a write bumps the account's data version";
  EXPECT_EQ(after["metrics"]["revenue"]["value"], 49123);
  EXPECT_EQ(after["missing_fx_rates"].size(), 2u);
  {
    pqxx::connection c(s.db.url());
    pqxx::work tx(c);
    tx.exec0("INSERT INTO fx_rates (date, base, quote, rate, source) VALUES ('2026-03-04', 'EUR', 'USD', 1.5, 'test')");
    tx.commit();
  }
  const auto with_rate = s.get(path)["data"];
  EXPECT_EQ(with_rate["metrics"]["revenue"]["value"], 49123 + 3000) << "K: EUR 20.00 at 1.5, found by the FX version";
  EXPECT_EQ(with_rate["missing_fx_rates"].size(), 0u);
  EXPECT_EQ(with_rate["metrics"]["spend"]["value"], 23000 + 3000) << "TikTok's EUR 20.00 on 03-05 takes 03-04's rate";
  ASSERT_EQ(s.api.send("PATCH", "/api/v1/accounts/current", s.owner.token, {{"currency", "EUR"}}).status, 200);
  EXPECT_EQ(s.get(path)["data"]["currency"], "EUR") << "the reporting currency is part of the key";
}

TEST(MetricsFixture, AnEmptyAccountAnswersZerosAndNullsNotErrors) {
  TestDatabase db;
  auto server = start_server(db.url());
  ApiClient api(server.port);
  const auto who = signup(api, "empty@example.com");
  db.set_plan(who.account_id, "agency");
  const auto r = api.get("/api/v1/metrics/summary?from=2026-01-01&to=2026-12-31&compare=previous_period", who.token);
  ASSERT_EQ(r.status, 200) << r.body;
  const auto& m = r.body["data"]["metrics"];
  EXPECT_EQ(m["revenue"]["value"], 0);
  EXPECT_EQ(m["orders"]["value"], 0);
  EXPECT_EQ(m["returning_customers"]["value"], 0);
  for (const char* ratio : {"aov", "roas", "mer", "ncac", "ctr", "cpc", "cpm", "platform_roas"}) {
    EXPECT_TRUE(m[ratio]["value"].is_null()) << ratio;
  }
  EXPECT_TRUE(m["revenue"]["delta_relative"].is_null());
  const auto series = api.get("/api/v1/metrics/timeseries?from=2026-01-01&to=2026-01-31", who.token);
  ASSERT_EQ(series.status, 200);
  EXPECT_EQ(series.body["data"]["series"][0]["points"].size(), 31u);
  for (const char* path : {"/api/v1/metrics/campaigns", "/api/v1/metrics/orders", "/api/v1/metrics/channels"}) {
    const auto list = api.get(path, who.token);
    EXPECT_EQ(list.status, 200) << path;
  }
}

}  // namespace
}  // namespace otq::testing
