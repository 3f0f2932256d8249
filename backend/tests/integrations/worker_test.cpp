// The job queue and `omnitrackiq worker`: SKIP LOCKED claims, back-off, dead-lettering, leases
// that let another worker finish a killed one's job, and Meta syncs end to end against a fake.
#include <csignal>
#include <set>
#include <thread>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <pqxx/pqxx>

#include "app/models/job.hpp"
#include "app/schemas/metrics.hpp"
#include "tests/support/api_client.hpp"
#include "tests/support/crypto.hpp"
#include "tests/support/env.hpp"
#include "tests/support/fake_providers.hpp"
#include "tests/support/pg.hpp"
#include "tests/support/process.hpp"
#include "tests/support/prometheus.hpp"
#include "tests/support/sync_fixture.hpp"

namespace otq::testing {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

// ---------------------------------------------------------------------------------------------
// The queue's SQL, with concurrent claimers on their own connections.

void insert_jobs(const std::string& url, int n, int max_attempts = 5) {
  pqxx::connection c(url);
  pqxx::work tx(c);
  tx.exec_params(
      "INSERT INTO jobs (kind, payload, max_attempts) SELECT 'test.noop', jsonb_build_object('n', g), $2 "
      "FROM generate_series(1, $1) g",
      n, max_attempts);
  tx.commit();
}

TEST(Queue, ConcurrentWorkersNeverTakeTheSameJob) {
  TestDatabase db;
  insert_jobs(db.url(), 400);
  std::mutex m;
  std::multiset<std::int64_t> taken;
  std::vector<std::thread> workers;
  for (int w = 0; w < 4; ++w) {
    workers.emplace_back([&, w] {
      pqxx::connection c(db.url());
      for (;;) {
        pqxx::work tx(c);
        const auto job = models::job::claim(tx, "w" + std::to_string(w), 60s);
        tx.commit();
        if (!job) break;
        pqxx::work done(c);
        EXPECT_TRUE(models::job::complete(done, job->id, job->lease_token));
        done.commit();
        std::lock_guard lock(m);
        taken.insert(job->id);
      }
    });
  }
  for (auto& t : workers) t.join();
  EXPECT_EQ(taken.size(), 400u);
  EXPECT_EQ(std::set<std::int64_t>(taken.begin(), taken.end()).size(), 400u) << "a job was taken twice";
  EXPECT_EQ(scalar(db.url(), "SELECT count(*) FROM jobs WHERE status = 'succeeded' AND attempts = 1"), 400);
}

TEST(Queue, FailuresBackOffThenDeadLetterAndLapsedLeasesAreRetried) {
  TestDatabase db;
  insert_jobs(db.url(), 1, 3);
  pqxx::connection c(db.url());
  auto claim = [&] {
    pqxx::work tx(c);
    auto job = models::job::claim(tx, "w", 60s);
    tx.commit();
    return job;
  };
  auto fail = [&](const models::job::Claimed& job, std::chrono::seconds backoff) {
    pqxx::work tx(c);
    const auto r = models::job::fail(tx, job.id, job.lease_token, "provider said 503", true, backoff);
    tx.commit();
    return r;
  };
  auto job = claim();
  ASSERT_TRUE(job);
  EXPECT_EQ(fail(*job, 3600s), models::job::FailOutcome::retry);
  EXPECT_FALSE(claim()) << "backing off: not ready for an hour";
  EXPECT_EQ(scalar(db.url(), "SELECT count(*) FROM jobs WHERE run_at > now() + interval '59 minutes'"), 1);
  EXPECT_EQ(fail(*job, 0s), models::job::FailOutcome::lost) << "a stale lease cannot touch the job";

  pqxx::nontransaction(c).exec("UPDATE jobs SET run_at = now()");
  job = claim();
  ASSERT_TRUE(job);
  EXPECT_EQ(job->attempts, 2);
  // Its worker dies: the lease lapses and the reaper queues the job again.
  pqxx::nontransaction(c).exec("UPDATE jobs SET locked_until = now() - interval '1 second'");
  {
    pqxx::work tx(c);
    EXPECT_EQ(models::job::reap_expired(tx).size(), 1u);
    tx.commit();
  }
  {
    pqxx::work tx(c);
    EXPECT_FALSE(models::job::complete(tx, job->id, job->lease_token)) << "the dead worker's lease is void";
  }
  job = claim();
  ASSERT_TRUE(job);
  EXPECT_EQ(job->attempts, 3);
  EXPECT_EQ(fail(*job, 0s), models::job::FailOutcome::dead) << "third failure of three: dead-lettered";
  EXPECT_FALSE(claim());
  EXPECT_EQ(scalar(db.url(),
                   "SELECT count(*) FROM jobs WHERE status = 'dead' AND last_error = 'provider said 503' "
                   "AND finished_at IS NOT NULL AND lease_token IS NULL"),
            1);
}

TEST(Queue, BackOffGrowsWithJitterUpToTheCap) {
  using models::job::backoff;
  EXPECT_EQ(backoff(1, 0.0), 15s);
  EXPECT_EQ(backoff(1, 1.0), 30s);
  EXPECT_EQ(backoff(3, 0.0), 60s);
  EXPECT_EQ(backoff(3, 1.0), 120s);
  EXPECT_EQ(backoff(30, 1.0), std::chrono::seconds(std::chrono::hours(6)));
  EXPECT_GE(backoff(30, 0.0), std::chrono::seconds(std::chrono::hours(3)));
}

// ---------------------------------------------------------------------------------------------
// The worker process against the fake Meta API.

TEST_F(Sync, TwoWorkersSyncEveryConnectionOnceAndTheRunsSaySo) {
  const Person bob = signup(api, "bob@example.com", "Bob's store");
  const Person cat = signup(api, "cat@example.com", "Cat's store");
  const std::string ann_meta = connect_meta(ann, 10);
  connect_meta(bob, 10);
  connect_meta(cat, 10);
  auto w1 = start_worker();
  auto w2 = start_worker();
  ASSERT_TRUE(eventually([&] { return q("SELECT count(*) FROM sync_runs WHERE status = 'succeeded'") == 3; }))
      << w1->output() << w2->output();
  const auto [rows, cents] = expected(10);
  EXPECT_EQ(q("SELECT count(*) FROM ad_spend"), 3 * rows);
  EXPECT_EQ(q("SELECT sum(spend_minor) FROM ad_spend a JOIN accounts x ON x.id = a.account_id WHERE x.public_id = '" +
              ann.account_id + "'"),
            cents);
  EXPECT_EQ(q("SELECT count(*) FROM jobs WHERE attempts <> 1"), 0) << "each job ran once";
  EXPECT_EQ(q("SELECT count(*) FROM sync_runs"), 3);

  // What the integrations page shows.
  const auto runs = api.get("/api/v1/integrations/" + ann_meta + "/runs", ann.token);
  ASSERT_EQ(runs.status, 200) << runs.body;
  ASSERT_EQ(runs.body["data"].size(), 1u);
  EXPECT_EQ(runs.body["data"][0]["status"], "succeeded");
  EXPECT_EQ(runs.body["data"][0]["rows_read"], rows);
  EXPECT_EQ(runs.body["data"][0]["rows_written"], rows);
  const auto meta = api.get("/api/v1/integrations/" + ann_meta, ann.token).body["data"];
  EXPECT_EQ(meta["status"], "connected");
  EXPECT_FALSE(meta["last_synced_at"].is_null());
  EXPECT_EQ(api.get("/api/v1/metrics/summary?from=" + today_plus(-9) + "&to=" + today_plus(0), ann.token)
                .body["data"]["metrics"]["spend"]["value"],
            cents);

  // "Sync now": the re-pull stores nothing new and doubles nothing.
  const auto now = api.post("/api/v1/integrations/" + ann_meta + "/sync", json::object(), ann.token);
  ASSERT_EQ(now.status, 202) << now.body;
  ASSERT_TRUE(eventually([&] { return q("SELECT count(*) FROM sync_runs WHERE status = 'succeeded'") == 4; }));
  EXPECT_EQ(q("SELECT count(*) FROM ad_spend"), 3 * rows);
  const auto again = api.get("/api/v1/integrations/" + ann_meta + "/runs", ann.token).body["data"][0];
  EXPECT_EQ(again["trigger"], "manual");
  EXPECT_EQ(again["rows_written"], 0) << "unchanged rows are not rewritten";
  w1->signal(SIGTERM);
  w2->signal(SIGTERM);
  EXPECT_EQ(w1->wait_exit(), 0);
  EXPECT_EQ(w2->wait_exit(), 0);
  EXPECT_EQ(w1->output().find(FakeProviders::kLongLivedToken), std::string::npos) << "no token in the log";
}

TEST_F(Sync, TheWorkersAdminPortCountsItsRunsAndJobs) {
  connect_meta(ann, 5);
  auto w = start_worker({{"METRICS_PORT", "0"}});
  const auto listening = w->wait_for_event("admin_listening");
  ASSERT_TRUE(listening) << w->output();
  ASSERT_TRUE(eventually([&] { return q("SELECT count(*) FROM sync_runs WHERE status = 'succeeded'") == 1; }))
      << w->output();
  httplib::Client admin("127.0.0.1", (*listening)["port"].get<int>());
  std::map<std::string, double> m;
  // The run is recorded before the job is marked done: wait for both counters.
  ASSERT_TRUE(eventually([&] {
    auto r = admin.Get("/metrics");
    if (!r || r->status != 200) return false;
    m = parse_exposition(r->body);
    return series_value(m, R"(otq_jobs_finished_total{kind="integration.sync",outcome="done"})") == 1;
  }));
  EXPECT_EQ(series_value(m, R"(otq_sync_runs_total{provider="facebook_ads",outcome="succeeded"})"), 1);
  EXPECT_EQ(series_value(m, R"(otq_sync_runs_total{provider="facebook_ads",outcome="failed"})"), 0);
  EXPECT_EQ(series_value(m, R"(otq_sync_runs_total{provider="shopify",outcome="succeeded"})"), 0);
  EXPECT_EQ(series_value(m, R"(otq_build_info{version=")" OTQ_VERSION R"(",role="worker"})"), 1);
  EXPECT_EQ(series_value(m, "otq_database_up"), 1);
  EXPECT_EQ(series_value(m, "otq_http_in_flight"), -1) << "a worker serves no API";
  EXPECT_GE(series_value(m, R"(otq_db_pool_connections{state="idle"})"), 1);
  auto health = admin.Get("/health");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
  EXPECT_EQ(json::parse(health->body)["role"], "worker");
  w->signal(SIGTERM);
  EXPECT_EQ(w->wait_exit(), 0);
}

TEST_F(Sync, AWorkerKilledMidSyncIsReplacedAndTheDataEndsAsIfItRanOnce) {
  const std::string id = connect_meta(ann, 60);  // two 30-day windows of 6 pages each
  fake.hold_request(9);                          // the third page of the second window
  auto doomed = start_worker();
  ASSERT_TRUE(fake.wait_held(30s)) << doomed->output();
  ASSERT_TRUE(eventually([&] { return q("SELECT count(*) FROM ad_spend") >= 60; }))
      << "the first window is stored" << doomed->output();
  ASSERT_TRUE(kill_and_replace(doomed)) << doomed->output();
  const auto [rows, cents] = expected(60);
  EXPECT_EQ(q("SELECT count(*) FROM ad_spend"), rows);
  EXPECT_EQ(q("SELECT sum(spend_minor) FROM ad_spend"), cents);
  EXPECT_EQ(q("SELECT sum(conversion_value_minor) FROM ad_spend"), rows * 9950);
  EXPECT_EQ(q("SELECT attempts FROM jobs"), 2);
  EXPECT_EQ(q("SELECT count(*) FROM sync_runs WHERE status = 'failed' AND error LIKE '%worker running this sync "
              "stopped%'"),
            1);
  EXPECT_EQ(q("SELECT count(*) FROM sync_runs WHERE status = 'succeeded'"), 1);
  EXPECT_EQ(api.get("/api/v1/integrations/" + id, ann.token).body["data"]["status"], "connected");
}

TEST_F(Sync, AFailingProviderIsRetriedWithBackOffThenDeadLettered) {
  const std::string id = connect_meta(ann, 5);
  fake.fail_insights(503, R"({"error":{"message":"Service temporarily unavailable","code":2,"is_transient":true}})");
  auto w = start_worker({{"JOB_MAX_ATTEMPTS", "2"}, {"JOB_RETRY_BASE_SECONDS", "1"}});
  ASSERT_TRUE(eventually([&] { return q("SELECT count(*) FROM jobs WHERE status = 'dead'") == 1; })) << w->output();
  EXPECT_EQ(q("SELECT attempts FROM jobs"), 2);
  EXPECT_EQ(q("SELECT count(*) FROM sync_runs WHERE status = 'failed'"), 2);
  EXPECT_EQ(q("SELECT count(*) FROM ad_spend"), 0);
  EXPECT_TRUE(w->wait_for_event("job_dead", 0ms));
  const auto meta = api.get("/api/v1/integrations/" + id, ann.token).body["data"];
  EXPECT_EQ(meta["status"], "connected") << "an outage is not the user's to fix";
  EXPECT_NE(meta["last_error"].get<std::string>().find("we will retry"), std::string::npos) << meta;
}

TEST_F(Sync, ARevokedTokenAsksTheUserToReconnectAndStopsSyncing) {
  const std::string id = connect_meta(ann, 5);
  fake.fail_insights(400, R"({"error":{"message":"Error validating access token: The user has not authorized )"
                          R"(application.","type":"OAuthException","code":190,"error_subcode":458}})");
  auto w = start_worker();
  ASSERT_TRUE(eventually([&] { return q("SELECT count(*) FROM integrations WHERE status = 'error'") == 1; }))
      << w->output();
  ASSERT_TRUE(eventually([&] { return q("SELECT count(*) FROM jobs WHERE status = 'succeeded'") == 1; }));
  EXPECT_EQ(q("SELECT attempts FROM jobs"), 1) << "not retried: only the user can fix it";
  const auto meta = api.get("/api/v1/integrations/" + id, ann.token).body["data"];
  EXPECT_EQ(meta["status"], "error");
  EXPECT_NE(meta["last_error"].get<std::string>().find("Reconnect Meta"), std::string::npos) << meta;
  EXPECT_EQ(api.post("/api/v1/integrations/" + id + "/sync", json::object(), ann.token).status, 409);
  EXPECT_EQ(api.get("/api/v1/integrations", ann.token).body["data"][0]["status"], "error");
}

TEST_F(Sync, CredentialsSealedUnderAnotherKeyFailLoudlyAndAskToReconnect) {
  const std::string id = connect_meta(ann, 5);
  // Same key id, different key: the worker must refuse, not send garbage to Meta.
  auto w = start_worker({{"TOKEN_ENCRYPTION_KEY", "k1:" + std::string(64, '2')}});
  ASSERT_TRUE(eventually([&] { return q("SELECT count(*) FROM integrations WHERE status = 'error'") == 1; }))
      << w->output();
  const auto meta = api.get("/api/v1/integrations/" + id, ann.token).body["data"];
  EXPECT_NE(meta["last_error"].get<std::string>().find("cannot be read. Reconnect Meta"), std::string::npos) << meta;
  EXPECT_TRUE(fake.requests_to("/insights").empty()) << "nothing was sent to Meta";
  EXPECT_TRUE(w->wait_for_event("credentials_unreadable", 5s));
}

TEST_F(Sync, KeyRotationResealsEveryCredentialAndSyncsGoOnWithTheNewKeyAlone) {
  connect_meta(ann, 5);
  const std::string k2 = "k2:" + std::string(64, '3');
  const std::map<std::string, std::string> both{{"DATABASE_URL", db.url()},
                                                {"TOKEN_ENCRYPTION_KEY", k2 + "," + std::string(kTestTokenKeyRing)},
                                                {"LOG_LEVEL", "warn"}};
  auto [code, out] = run_binary({"credentials", "reseal"}, both);
  EXPECT_EQ(code, 0) << out;
  EXPECT_NE(out.find("1 re-sealed under key 'k2'"), std::string::npos) << out;
  EXPECT_EQ(q("SELECT count(*) FROM integrations WHERE credentials_key_id = 'k2'"), 1);
  std::tie(code, out) = run_binary({"credentials", "reseal"}, both);
  EXPECT_NE(out.find("0 re-sealed under key 'k2', 1 already were"), std::string::npos) << out;

  // The old key can go: a worker with k2 alone syncs.
  auto w = start_worker({{"TOKEN_ENCRYPTION_KEY", k2}});
  ASSERT_TRUE(eventually([&] { return q("SELECT count(*) FROM sync_runs WHERE status = 'succeeded'") == 1; }))
      << w->output();
  // A ring without the credentials' key cannot re-seal them, says so, and changes nothing.
  std::tie(code, out) = run_binary(
      {"credentials", "reseal"}, {{"DATABASE_URL", db.url()}, {"TOKEN_ENCRYPTION_KEY", "k3:" + std::string(64, '4')}});
  EXPECT_EQ(code, 1);
  EXPECT_NE(out.find("1 unreadable"), std::string::npos) << out;
  EXPECT_EQ(q("SELECT count(*) FROM integrations WHERE credentials_key_id = 'k2'"), 1);
}

// ---------------------------------------------------------------------------------------------
// Shopify orders against the fake shop.

TEST_F(Sync, AShopifyBackfillStoresExactlyTheShopsOrdersAndTheMetricsAgree) {
  fake.shopify_orders = 240;  // five pages of 50, written as 150 + 90
  const std::string id = connect_shopify(ann);
  auto w = start_worker({{"SYNC_BATCH_ROWS", "120"}});
  ASSERT_TRUE(eventually([&] { return q("SELECT count(*) FROM sync_runs WHERE status = 'succeeded'") == 1; }))
      << w->output();
  const auto [orders, total, refunds] = shop_expected();
  EXPECT_EQ(q("SELECT count(*) FROM orders"), orders);
  EXPECT_EQ(q("SELECT sum(total_minor) FROM orders"), total);
  EXPECT_EQ(q("SELECT sum(amount_minor) FROM order_refunds"), refunds);
  EXPECT_EQ(q("SELECT count(*) FROM orders WHERE fbclid IS NOT NULL"), orders / 3);
  EXPECT_EQ(q("SELECT count(DISTINCT customer_id) FROM orders"), 97);
  EXPECT_EQ(fake.requests_to("/orders.json").size(), 5u);
  const auto summary =
      api.get("/api/v1/metrics/summary?from=" + today_plus(-12) + "&to=" + today_plus(0), ann.token).body["data"];
  EXPECT_EQ(summary["metrics"]["orders"]["value"], orders);
  EXPECT_EQ(summary["metrics"]["revenue"]["value"], total);
  EXPECT_EQ(summary["metrics"]["refunds"]["value"], refunds);

  // The next sync asks only for what changed since the newest order seen: an edited order.
  fake.edit_order(7, 12345);
  ASSERT_EQ(api.post("/api/v1/integrations/" + id + "/sync", json::object(), ann.token).status, 202);
  ASSERT_TRUE(eventually([&] { return q("SELECT count(*) FROM sync_runs WHERE status = 'succeeded'") == 2; }));
  EXPECT_EQ(q("SELECT count(*) FROM orders"), orders) << "edited in place, not added";
  EXPECT_EQ(q("SELECT total_minor FROM orders WHERE external_id = '5000000007'"), 12345);
  const auto last = fake.requests_to("/orders.json").back();
  EXPECT_EQ(last.query.at("status"), "any");
  EXPECT_FALSE(last.query.at("updated_at_min").empty());
  // The edited order, and the newest one again (the cursor is inclusive: a change in that same
  // second is read twice rather than missed); only the edit is written.
  const auto run = api.get("/api/v1/integrations/" + id + "/runs", ann.token).body["data"][0];
  EXPECT_EQ(run["rows_read"], 2);
  EXPECT_EQ(run["rows_written"], 1);
}

TEST_F(Sync, ShopifyThrottlingOutagesAndGarbageAreRetriedAndNothingDoubles) {
  fake.shopify_orders = 120;
  fake.fail_orders(429, R"({"errors":"Exceeded 2 calls per second for api client. Reduce request rates."})", 2);
  const std::string id = connect_shopify(ann);
  auto w = start_worker({{"JOB_RETRY_BASE_SECONDS", "1"}, {"OUTBOUND_TIMEOUT_SECONDS", "1"}});
  ASSERT_TRUE(eventually([&] { return q("SELECT count(*) FROM sync_runs WHERE status = 'succeeded'") == 1; }))
      << w->output();
  EXPECT_EQ(q("SELECT count(*) FROM sync_runs WHERE status = 'failed'"), 0) << "429s are waited out in the run";
  const auto [orders, total, refunds] = shop_expected();
  EXPECT_EQ(q("SELECT count(*) FROM orders"), orders);

  // A page that is not JSON fails the run; the retry completes it and doubles nothing.
  fake.fail_orders(200, "{\"orders\": [", 1);
  ASSERT_EQ(api.post("/api/v1/integrations/" + id + "/sync", json::object(), ann.token).status, 202);
  ASSERT_TRUE(eventually([&] { return q("SELECT count(*) FROM sync_runs WHERE status = 'succeeded'") == 2; }))
      << w->output();
  EXPECT_EQ(q("SELECT count(*) FROM sync_runs WHERE status = 'failed' AND error LIKE '%not a page of orders%'"), 1);
  EXPECT_EQ(q("SELECT count(*) FROM orders"), orders);
  EXPECT_EQ(q("SELECT sum(total_minor) FROM orders"), total);
  EXPECT_EQ(q("SELECT sum(amount_minor) FROM order_refunds"), refunds);

  // A page that does not arrive within OUTBOUND_TIMEOUT_SECONDS is abandoned and asked again.
  const std::string before = orders_checksum(db.url());
  fake.delay_orders(2500ms, 1);
  ASSERT_EQ(api.post("/api/v1/integrations/" + id + "/sync", json::object(), ann.token).status, 202);
  ASSERT_TRUE(eventually([&] { return q("SELECT count(*) FROM sync_runs WHERE status = 'succeeded'") == 3; }))
      << w->output();
  EXPECT_EQ(q("SELECT count(*) FROM sync_runs WHERE status = 'failed'"), 1) << "the client's retry absorbed it";
  EXPECT_TRUE(w->wait_for_event("outbound_retry", 0ms)) << w->output();
  EXPECT_EQ(orders_checksum(db.url()), before);
}

TEST_F(Sync, AShopifySyncKilledBetweenPagesEndsWithTheSameDataAsAnUninterruptedOne) {
  fake.shopify_orders = 200;
  connect_shopify(ann);
  fake.hold_request(3);  // the third page: two are stored
  auto doomed = start_worker();
  ASSERT_TRUE(fake.wait_held(30s)) << doomed->output();
  // The second page is written while the third is fetched (write-behind); it commits meanwhile.
  ASSERT_TRUE(eventually([&] { return q("SELECT count(*) FROM orders") == 100; })) << doomed->output();
  ASSERT_TRUE(kill_and_replace(doomed)) << doomed->output();
  const std::string interrupted = orders_checksum(db.url());
  const auto [orders, total, refunds] = shop_expected();
  EXPECT_EQ(q("SELECT count(*) FROM orders"), orders);
  EXPECT_EQ(q("SELECT sum(total_minor) FROM orders"), total);
  EXPECT_EQ(q("SELECT sum(amount_minor) FROM order_refunds"), refunds);

  // The same shop synced once, without interruption, into a database of its own.
  TestDatabase clean;
  {
    pqxx::connection c(clean.url());
    pqxx::work tx(c);
    tx.exec_params("INSERT INTO accounts (public_id, name, timezone, currency) VALUES ($1, 'Clean', 'UTC', 'USD')",
                   ann.account_id);
    tx.commit();
  }
  connect_shopify(clean.url(), ann.account_id);
  auto once = std::make_unique<ChildProcess>(
      binary_path(), std::vector<std::string>{"worker"},
      std::map<std::string, std::string>{{"DATABASE_URL", clean.url()},
                                         {"TOKEN_ENCRYPTION_KEY", std::string(kTestTokenKeyRing)},
                                         {"SHOPIFY_API_BASE", fake.shopify_base()},
                                         {"JOB_POLL_MS", "100"}});
  ASSERT_TRUE(eventually([&] {
    return scalar(clean.url(), "SELECT count(*) FROM jobs WHERE status = 'succeeded'") == 1;
  })) << once->output();
  const std::string expected = orders_checksum(clean.url());
  EXPECT_EQ(interrupted, expected);
  EXPECT_EQ(q("SELECT count(*) FROM sync_runs WHERE status = 'succeeded'"), 1);
}

TEST_F(Sync, ARevokedShopifyTokenAsksTheUserToReconnect) {
  fake.shopify_orders = 10;
  fake.shopify_token_revoked = true;
  const std::string id = connect_shopify(ann);
  auto w = start_worker();
  ASSERT_TRUE(eventually([&] { return q("SELECT count(*) FROM integrations WHERE status = 'error'") == 1; }))
      << w->output();
  const auto shop = api.get("/api/v1/integrations/" + id, ann.token).body["data"];
  EXPECT_NE(shop["last_error"].get<std::string>().find("Reconnect Shopify"), std::string::npos) << shop;
  EXPECT_EQ(q("SELECT count(*) FROM orders"), 0);
}

}  // namespace
}  // namespace otq::testing
