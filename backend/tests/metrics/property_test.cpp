// Properties over seeded demo data: for random ranges, the summary equals the sum of its daily
// time series and a recomputation by plain SQL over raw rows; campaign totals equal summary spend;
// and the trigger-maintained rollups equal a full rebuild after random writes, concurrent ones too.
#include <random>
#include <thread>

#include <gtest/gtest.h>
#include <pqxx/pqxx>

#include "app/schemas/metrics.hpp"
#include "tests/support/api_client.hpp"
#include "tests/support/pg.hpp"
#include "tests/support/process.hpp"

namespace otq::testing {
namespace {

using nlohmann::json;
constexpr const char* kPassword = "seeded-demo-password";

// Seeds a small demo (two stores, 150 days) with the real binary; returns the main store's id.
std::int64_t seed(const TestDatabase& db, int seed_value, const std::string& end_date = "") {
  std::vector<std::string> args{"seed-demo",
                                "--orders",
                                "4000",
                                "--days",
                                "150",
                                "--accounts",
                                "2",
                                "--orders-per-extra",
                                "400",
                                "--seed",
                                std::to_string(seed_value),
                                "--password",
                                kPassword};
  if (!end_date.empty()) {
    args.push_back("--end-date");
    args.push_back(end_date);
  }
  const auto [code, output] = run_binary(args, {{"DATABASE_URL", db.url()}, {"LOG_LEVEL", "warn"}});
  EXPECT_EQ(code, 0) << output;
  pqxx::connection c(db.url());
  pqxx::read_transaction tx(c);
  return tx.exec1("SELECT min(id) FROM accounts")[0].as<std::int64_t>();
}

// The figures recomputed from raw rows with nothing but SQL (amounts converted and rounded per
// local day, channel and currency, as docs/metrics.md says).
json recompute(const TestDatabase& db, std::int64_t account, const std::string& from, const std::string& to) {
  pqxx::connection c(db.url());
  pqxx::read_transaction tx(c);
  const auto r = tx.exec_params1(R"sql(
WITH a AS (SELECT timezone AS tz, currency AS cur FROM accounts WHERE id = $1),
counted AS (
  SELECT o.*, (o.placed_at AT TIME ZONE a.tz)::date AS day FROM orders o, a
   WHERE o.account_id = $1 AND o.cancelled_at IS NULL AND NOT o.is_test),
rev AS (
  SELECT sum(otq_convert_minor(s, currency, a.cur, otq_fx_rate(day, currency, a.cur))) AS revenue, sum(n) AS orders
    FROM (SELECT day, otq_channel(utm_source, utm_medium), currency, sum(total_minor) AS s, count(*) AS n
            FROM counted WHERE day BETWEEN $2::date AND $3::date GROUP BY 1, 2, 3) g, a),
ref AS (
  SELECT sum(otq_convert_minor(s, currency, a.cur, otq_fx_rate(day, currency, a.cur))) AS refunds
    FROM (SELECT (r.refunded_at AT TIME ZONE a.tz)::date AS day, otq_channel(o.utm_source, o.utm_medium), r.currency,
                 sum(r.amount_minor) AS s
            FROM order_refunds r JOIN counted o ON o.id = r.order_id, a
           WHERE r.account_id = $1 AND (r.refunded_at AT TIME ZONE a.tz)::date BETWEEN $2::date AND $3::date
           GROUP BY 1, 2, 3) g, a),
sp AS (
  SELECT sum(otq_convert_minor(s, currency, a.cur, otq_fx_rate(date, currency, a.cur))) AS spend, sum(i) AS impressions,
         sum(k) AS clicks
    FROM (SELECT date, platform, currency, sum(spend_minor) AS s, sum(impressions) AS i, sum(clicks) AS k FROM ad_spend
           WHERE account_id = $1 AND date BETWEEN $2::date AND $3::date GROUP BY 1, 2, 3) g, a),
firsts AS (SELECT customer_id, min(day) AS first_day FROM counted WHERE customer_id IS NOT NULL GROUP BY 1),
cust AS (
  SELECT (SELECT count(*) FROM firsts WHERE first_day BETWEEN $2::date AND $3::date) AS new_customers,
         (SELECT count(DISTINCT o.customer_id) FROM counted o JOIN firsts f USING (customer_id)
           WHERE o.day BETWEEN $2::date AND $3::date AND f.first_day < $2::date) AS returning_customers)
SELECT coalesce(rev.orders, 0), coalesce(rev.revenue, 0), coalesce(ref.refunds, 0), coalesce(sp.spend, 0),
       coalesce(sp.impressions, 0), coalesce(sp.clicks, 0), cust.new_customers, cust.returning_customers
  FROM rev, ref, sp, cust)sql",
                                 account, from, to);
  return {{"orders", r[0].as<std::int64_t>()},        {"revenue", r[1].as<std::int64_t>()},
          {"refunds", r[2].as<std::int64_t>()},       {"spend", r[3].as<std::int64_t>()},
          {"impressions", r[4].as<std::int64_t>()},   {"clicks", r[5].as<std::int64_t>()},
          {"new_customers", r[6].as<std::int64_t>()}, {"returning_customers", r[7].as<std::int64_t>()}};
}

TEST(MetricsProperties, SummaryEqualsSumOfTimeseriesEqualsRawSqlForRandomRanges) {
  TestDatabase db;
  const auto account = seed(db, 11);
  auto server = start_server(db.url());
  ApiClient api(server.port);
  const auto login = api.post("/api/v1/auth/login", {{"email", "demo@omnitrackiq.test"}, {"password", kPassword}});
  ASSERT_EQ(login.status, 200) << login.body;
  const std::string token = login.body["access_token"];
  std::string today;
  {
    pqxx::connection c(db.url());
    pqxx::read_transaction tx(c);
    today = tx.exec_params1("SELECT (now() AT TIME ZONE timezone)::date::text FROM accounts WHERE id = $1", account)[0]
                .as<std::string>();
  }
  const auto end = *schemas::metrics::parse_day(today);
  std::mt19937 rng(20261127);
  for (int round = 0; round < 12; ++round) {
    const int length = std::uniform_int_distribution<int>(1, 120)(rng);
    const int back = std::uniform_int_distribution<int>(0, 160 - length)(rng);
    const auto to = schemas::metrics::format_day(end - std::chrono::days(back));
    const auto from = schemas::metrics::format_day(end - std::chrono::days(back + length - 1));
    const std::string range = "from=" + from + "&to=" + to;
    SCOPED_TRACE(range);

    const auto summary = api.get("/api/v1/metrics/summary?" + range, token);
    ASSERT_EQ(summary.status, 200) << summary.body;
    const auto& m = summary.body["data"]["metrics"];
    const auto series = api.get("/api/v1/metrics/timeseries?" + range +
                                    "&metrics=orders,revenue,refunds,spend,impressions,clicks,new_customers",
                                token);
    ASSERT_EQ(series.status, 200) << series.body;
    const auto& points = series.body["data"]["series"][0]["points"];
    ASSERT_EQ(points.size(), static_cast<std::size_t>(length));
    const auto raw = recompute(db, account, from, to);
    for (const char* name : {"orders", "revenue", "refunds", "spend", "impressions", "clicks", "new_customers"}) {
      std::int64_t summed = 0;
      for (const auto& p : points) summed += p[name].get<std::int64_t>();
      EXPECT_EQ(m[name]["value"].get<std::int64_t>(), summed) << name << ": summary vs sum of days";
      EXPECT_EQ(m[name]["value"], raw[name]) << name << ": summary vs raw SQL";
    }
    EXPECT_EQ(m["returning_customers"]["value"], raw["returning_customers"]);
    EXPECT_EQ(summary.body["data"]["missing_fx_rates"].size(), 0u) << "the demo has a rate for every weekday";

    const auto campaigns = api.get("/api/v1/metrics/campaigns?" + range + "&limit=1", token);
    ASSERT_EQ(campaigns.status, 200);
    EXPECT_EQ(campaigns.body["totals"]["spend"], m["spend"]["value"]) << "campaign totals vs summary spend";

    const auto channels = api.get("/api/v1/metrics/channels?" + range, token);
    ASSERT_EQ(channels.status, 200);
    EXPECT_EQ(channels.body["totals"]["revenue"], m["revenue"]["value"]);
    EXPECT_EQ(channels.body["totals"]["spend"], m["spend"]["value"]);
  }
}

TEST(MetricsProperties, RollupsEqualARebuildAfterRandomWrites) {
  TestDatabase db;
  const auto account = seed(db, 5);
  ASSERT_EQ(db.rollup_drift(account), 0) << "the seeder's rebuild";
  pqxx::connection c(db.url());
  std::mt19937 rng(42);
  // Each kind of write a connector or psql could make, several times, each in its own transaction.
  const std::vector<std::string> writes = {
      // new orders for existing customers on random recent days (moves first orders and repeat days)
      "INSERT INTO orders (account_id, public_id, platform, external_id, customer_id, placed_at, currency, "
      "total_minor, "
      "utm_source) SELECT $1, 'ord_' || substr(md5(random()::text), 1, 22), 'manual', 'x' || md5(random()::text), "
      "id, now() - (random() * interval '140 days'), 'USD', (random() * 20000)::bigint, 'tiktok' "
      "FROM customers WHERE account_id = $1 ORDER BY random() LIMIT 20",
      "UPDATE orders SET cancelled_at = placed_at + interval '1 hour' WHERE account_id = $1 AND id IN "
      "(SELECT id FROM orders WHERE account_id = $1 AND cancelled_at IS NULL ORDER BY random() LIMIT 15)",
      "UPDATE orders SET cancelled_at = NULL WHERE account_id = $1 AND id IN "
      "(SELECT id FROM orders WHERE account_id = $1 AND cancelled_at IS NOT NULL ORDER BY random() LIMIT 5)",
      "UPDATE orders SET placed_at = placed_at - interval '3 days 7 hours', utm_source = 'google' WHERE account_id = "
      "$1 "
      "AND id IN (SELECT id FROM orders WHERE account_id = $1 ORDER BY random() LIMIT 10)",
      "UPDATE orders SET fulfillment_status = 'fulfilled' WHERE account_id = $1 AND id IN "
      "(SELECT id FROM orders WHERE account_id = $1 ORDER BY random() LIMIT 50)",
      "DELETE FROM orders WHERE account_id = $1 AND id IN (SELECT order_id FROM order_refunds WHERE account_id = $1 "
      "ORDER BY random() LIMIT 3)",
      "INSERT INTO order_refunds (account_id, order_id, platform, external_id, refunded_at, currency, amount_minor) "
      "SELECT $1, id, 'manual', 'r' || md5(random()::text), placed_at + interval '2 days', currency, total_minor / 2 "
      "FROM orders WHERE account_id = $1 ORDER BY random() LIMIT 10",
      "UPDATE order_refunds SET refunded_at = refunded_at + interval '5 days' WHERE account_id = $1 AND id IN "
      "(SELECT id FROM order_refunds WHERE account_id = $1 ORDER BY random() LIMIT 5)",
      "UPDATE ad_spend SET spend_minor = spend_minor + 1234, clicks = clicks + 7 WHERE account_id = $1 AND (date, "
      "campaign_id) IN (SELECT date, campaign_id FROM ad_spend WHERE account_id = $1 ORDER BY random() LIMIT 30)",
      "DELETE FROM ad_spend WHERE account_id = $1 AND (date, campaign_id) IN "
      "(SELECT date, campaign_id FROM ad_spend WHERE account_id = $1 ORDER BY random() LIMIT 10)",
      "UPDATE orders SET customer_id = (SELECT id FROM customers WHERE account_id = $1 ORDER BY random() LIMIT 1) "
      "WHERE account_id = $1 AND id IN (SELECT id FROM orders WHERE account_id = $1 ORDER BY random() LIMIT 5)",
  };
  pqxx::nontransaction seeder(c);
  seeder.exec_params("SELECT setseed(0.42)");
  for (int i = 0; i < 30; ++i) {
    const auto& sql = writes[std::uniform_int_distribution<std::size_t>(0, writes.size() - 1)(rng)];
    seeder.exec_params(sql, account);
  }
  EXPECT_EQ(db.rollup_drift(account), 0);
}

TEST(MetricsProperties, ConcurrentWritersLeaveRollupsEqualToARebuild) {
  TestDatabase db;
  const auto account = seed(db, 3);
  // Four writers add orders for the same customers on the same days at the same time.
  std::vector<std::thread> writers;
  for (int w = 0; w < 4; ++w) {
    writers.emplace_back([&, w] {
      pqxx::connection c(db.url());
      for (int i = 0; i < 15; ++i) {
        pqxx::work tx(c);
        tx.exec_params0(
            "INSERT INTO orders (account_id, public_id, platform, external_id, customer_id, placed_at, currency, "
            "total_minor) SELECT $1, 'ord_' || substr(md5(random()::text), 1, 22), 'manual', $2 || '-' || n, "
            "(SELECT min(id) + n FROM customers WHERE account_id = $1), "
            "date_trunc('day', now()) - interval '2 days' + n * interval '1 hour', 'USD', 1000 "
            "FROM generate_series(1, 4) n",
            account, "w" + std::to_string(w) + "-" + std::to_string(i));
        tx.commit();
      }
    });
  }
  for (auto& t : writers) t.join();
  EXPECT_EQ(db.rollup_drift(account), 0);
}

TEST(MetricsProperties, SeedDemoIsDeterministicForASeed) {
  auto fingerprint = [](const TestDatabase& db) {
    pqxx::connection c(db.url());
    pqxx::read_transaction tx(c);
    const auto r = tx.exec1(
        "SELECT (SELECT md5(string_agg(o.external_id || o.placed_at::text || o.total_minor || o.currency || "
        "coalesce(o.utm_campaign, '') || o.public_id, ',' ORDER BY o.external_id)) "
        "FROM orders o JOIN accounts a ON a.id = o.account_id WHERE a.name LIKE 'Northwind%'), "
        "(SELECT md5(string_agg(s.campaign_id || s.date || s.spend_minor || s.clicks, ',' "
        "ORDER BY s.campaign_id, s.date)) "
        "FROM ad_spend s JOIN accounts a ON a.id = s.account_id WHERE a.name LIKE 'Northwind%')");
    return r[0].as<std::string>() + "/" + r[1].as<std::string>();
  };
  TestDatabase a, b, c;
  seed(a, 99, "2026-06-30");
  seed(b, 99, "2026-06-30");
  seed(c, 100, "2026-06-30");
  EXPECT_EQ(fingerprint(a), fingerprint(b));
  EXPECT_NE(fingerprint(a), fingerprint(c));
}

}  // namespace
}  // namespace otq::testing
