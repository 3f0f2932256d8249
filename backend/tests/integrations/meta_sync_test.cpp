// Meta insights syncs end to end (worker process, real PostgreSQL, the fake Graph API): every fault
// the real API produces ends the run in the right state with nothing doubled or lost, restated days
// are replaced exactly, and the ad-account picker reads /me/adaccounts live.
#include <csignal>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "tests/support/sync_fixture.hpp"

namespace otq::testing {
namespace {

using nlohmann::json;

struct MetaSync : Sync {
  // The stored spend rows, in full, as text: compared with what the fake reports.
  std::string stored_rows() {
    pqxx::connection c(db.url());
    pqxx::nontransaction tx(c);
    return tx
        .exec1(
            "SELECT coalesce(string_agg(campaign_id || ':' || date || ':' || spend_minor || ':' || impressions || ':' "
            "|| clicks || ':' || conversions::float8 || ':' || conversion_value_minor, '|' ORDER BY campaign_id, "
            "date), '') FROM ad_spend")[0]
        .as<std::string>();
  }

  // What the fake reports for act_1 over the last `days` days, in the same text form.
  std::string reported_rows(int days) {
    std::vector<std::string> parts;
    auto campaigns = fake.campaigns;
    std::sort(campaigns.begin(), campaigns.end());
    for (const auto& c : campaigns) {
      for (int d = -(days - 1); d <= 0; ++d) {
        const std::int64_t cents = fake.reported_cents(c, today_plus(d));
        if (cents < 0) continue;
        parts.push_back(fmt::format("{}:{}:{}:{}:{}:2:9950", c, today_plus(d), cents, cents * 10, cents / 10));
      }
    }
    return fmt::format("{}", fmt::join(parts, "|"));
  }

  std::int64_t runs(const std::string& status) {
    return q(fmt::format("SELECT count(*) FROM sync_runs WHERE status = '{}'", status));
  }

  // Rollup rows of ann's account that differ from a rebuild: the backfill adds its rows' sums to
  // the rollups itself (models::ingest::insert_new_spend), the re-pull's upserts and deletes
  // recompute days in the triggers; either way the dashboards must read the raw rows' figures.
  std::int64_t rollup_drift() {
    return db.rollup_drift(q("SELECT id FROM accounts WHERE public_id = '" + ann.account_id + "'"));
  }

  void sync_now(const std::string& id) {
    const auto res = api.post("/api/v1/integrations/" + id + "/sync", json::object(), ann.token);
    ASSERT_EQ(res.status, 202) << res.body;
  }
};

constexpr const char* kThrottleBodies[] = {
    R"({"error":{"message":"(#4) Application request limit reached","type":"OAuthException","is_transient":true,"code":4,"fbtrace_id":"A1"}})",
    R"({"error":{"message":"(#17) User request limit reached","type":"OAuthException","is_transient":true,"code":17,"error_subcode":2446079,"fbtrace_id":"A2"}})",
    R"({"error":{"message":"(#613) Calls to this api have exceeded the rate limit.","type":"OAuthException","code":613,"fbtrace_id":"A3"}})",
    R"({"error":{"message":"(#80000) There have been too many calls from this ad-account. Wait a bit and try again.","type":"OAuthException","code":80000,"error_subcode":2446079,"fbtrace_id":"A4"}})",
};

TEST_F(MetaSync, ThrottlingErrorsBackOffAndTheNextAttemptCompletesTheData) {
  const std::string id = connect_meta(ann, 60);  // two 30-day windows of 6 pages each
  auto w = start_worker({{"JOB_RETRY_BASE_SECONDS", "1"}});
  std::int64_t succeeded = 0, failed = 0;
  for (const char* body : kThrottleBodies) {
    // Throttled halfway through the first window (after three pages are stored).
    fake.fail_insights(400, body, 1, 3,
                       {{"X-Business-Use-Case-Usage",
                         R"({"1":[{"type":"ads_insights","call_count":100,"total_cputime":40,"total_time":60,)"
                         R"("estimated_time_to_regain_access":0}]})"}});
    if (succeeded > 0) sync_now(id);
    ASSERT_TRUE(eventually([&] { return runs("succeeded") == succeeded + 1; })) << body << w->output();
    ++succeeded;
    ++failed;
    EXPECT_EQ(runs("failed"), failed) << "the throttled attempt ends failed, to be retried: " << body;
    const auto [rows, cents] = expected(60);
    EXPECT_EQ(q("SELECT count(*) FROM ad_spend"), rows) << body;
    EXPECT_EQ(q("SELECT sum(spend_minor) FROM ad_spend"), cents) << body;
  }
  EXPECT_EQ(q("SELECT count(*) FROM sync_runs WHERE status = 'failed' AND error LIKE '%slow down%'"), 4);
  const auto meta = api.get("/api/v1/integrations/" + id, ann.token).body["data"];
  EXPECT_EQ(meta["status"], "connected") << "throttling is not the user's to fix";
  EXPECT_EQ(q("SELECT count(*) FROM jobs WHERE status = 'dead'"), 0);
}

TEST_F(MetaSync, UsageNearTheQuotaSlowsTheSyncDownBeforeMetaThrottles) {
  connect_meta(ann, 5);  // one page
  fake.insights_usage =
      R"({"1":[{"type":"ads_insights","call_count":76,"total_cputime":10,"total_time":10,"estimated_time_to_regain_access":0}]})";
  auto w = start_worker();
  ASSERT_TRUE(eventually([&] { return runs("succeeded") == 1; })) << w->output();
  const auto paced = w->wait_for_event("sync_paced", 0ms);
  ASSERT_TRUE(paced) << w->output();
  EXPECT_EQ((*paced)["ms"], 2000) << "76% of the quota: a pause of 1/25 of the minute it grows to at 100%";
  EXPECT_EQ(runs("failed"), 0);
  EXPECT_EQ(q("SELECT count(*) FROM ad_spend"), expected(5).first);
}

TEST_F(MetaSync, OutagesTimeoutsAndGarbageNeverDoubleOrLoseARow) {
  const std::string id = connect_meta(ann, 40);
  auto w = start_worker({{"JOB_RETRY_BASE_SECONDS", "1"}, {"OUTBOUND_TIMEOUT_SECONDS", "1"}});
  ASSERT_TRUE(eventually([&] { return runs("succeeded") == 1; })) << w->output();
  const std::string clean = stored_rows();
  EXPECT_EQ(clean, reported_rows(40));

  // A 500 once: the client's own retry absorbs it inside the run.
  fake.fail_insights(500, R"({"error":{"message":"An unknown error occurred","code":1,"is_transient":true}})", 1, 2);
  sync_now(id);
  ASSERT_TRUE(eventually([&] { return runs("succeeded") == 2; })) << w->output();
  EXPECT_EQ(runs("failed"), 0);
  EXPECT_EQ(stored_rows(), clean);

  // A page that does not arrive within OUTBOUND_TIMEOUT_SECONDS: abandoned and asked again.
  fake.delay_insights(2500ms, 1);
  sync_now(id);
  ASSERT_TRUE(eventually([&] { return runs("succeeded") == 3; })) << w->output();
  EXPECT_EQ(runs("failed"), 0);
  EXPECT_TRUE(w->wait_for_event("outbound_retry", 0ms)) << w->output();
  EXPECT_EQ(stored_rows(), clean);

  // Malformed JSON, then JSON that is not a page: each fails its attempt; the retry completes.
  fake.fail_insights(200, R"({"data": [{"campaign_id": "c1", )", 1, 1);
  sync_now(id);
  ASSERT_TRUE(eventually([&] { return runs("succeeded") == 4; })) << w->output();
  fake.fail_insights(200, R"(["not", "a", "page"])", 1, 1);
  sync_now(id);
  ASSERT_TRUE(eventually([&] { return runs("succeeded") == 5; })) << w->output();
  EXPECT_EQ(q("SELECT count(*) FROM sync_runs WHERE status = 'failed' AND error LIKE '%not JSON%'"), 1);
  EXPECT_EQ(q("SELECT count(*) FROM sync_runs WHERE status = 'failed' AND error LIKE '%not a page of insights%'"), 1);
  EXPECT_EQ(stored_rows(), clean);
  EXPECT_EQ(api.get("/api/v1/integrations/" + id, ann.token).body["data"]["status"], "connected");
}

TEST_F(MetaSync, AWindowTooLargeForOneRequestIsReadThroughAnAsynchronousReport) {
  fake.sync_row_limit = 40;  // a 30-day window of two campaigns (60 rows) is "too much data"
  const std::string id = connect_meta(ann, 45);
  auto w = start_worker({{"JOB_RETRY_BASE_SECONDS", "1"}});
  ASSERT_TRUE(eventually([&] { return runs("succeeded") == 1; })) << w->output();
  EXPECT_EQ(runs("failed"), 0) << "switching to a report is not a failure";
  EXPECT_EQ(stored_rows(), reported_rows(45));
  std::size_t started = 0, polled = 0, read = 0;
  for (const auto& r : fake.requests()) {
    if (r.method == "POST" && r.path.ends_with("/act_1/insights")) ++started;
    if (r.method == "GET" && r.path.starts_with("/v25.0/6000000000001"))
      ++(r.path.ends_with("/insights") ? read : polled);
  }
  EXPECT_EQ(started, 1u) << "only the 30-day window; the 15-day one fits a plain request";
  EXPECT_EQ(polled, 2u) << "running, then complete";
  EXPECT_EQ(read, 6u) << "60 rows in pages of 10";

  // A report Meta gives up on fails the attempt; nothing stored is lost.
  fake.report_fails = true;
  fake.sync_row_limit = 1;
  sync_now(id);
  ASSERT_TRUE(eventually([&] { return runs("failed") >= 1; })) << w->output();
  EXPECT_EQ(q("SELECT count(*) FROM sync_runs WHERE status = 'failed' AND error LIKE '%ended as ''Job Failed''%'"), 1);
  EXPECT_EQ(stored_rows(), reported_rows(45));
  EXPECT_EQ(api.get("/api/v1/integrations/" + id, ann.token).body["data"]["status"], "connected");
}

TEST_F(MetaSync, AKilledSyncEndsWithExactlyTheRowsMetaReports) {
  connect_meta(ann, 60);
  fake.hold_request(4);  // the fourth page of the first window: three are stored
  auto doomed = start_worker();
  ASSERT_TRUE(fake.wait_held(30s)) << doomed->output();
  // The third page is written while the fourth downloads.
  ASSERT_TRUE(eventually([&] { return q("SELECT count(*) FROM ad_spend") == 30; })) << doomed->output();
  ASSERT_TRUE(kill_and_replace(doomed)) << doomed->output();
  EXPECT_EQ(stored_rows(), reported_rows(60)) << "the same contents as an uninterrupted sync";
  EXPECT_EQ(rollup_drift(), 0);
}

TEST_F(MetaSync, RestatedDaysAreReplacedExactlyByTheNextSync) {
  const std::string id = connect_meta(ann, 10);
  auto w = start_worker({{"SYNC_BATCH_ROWS", "25"}});  // pages of 10 written in threes
  ASSERT_TRUE(eventually([&] { return runs("succeeded") == 1; })) << w->output();
  EXPECT_EQ(stored_rows(), reported_rows(10));
  // The pages are fetched (and the batches written) on other threads; their log lines still name
  // the run, so an operator can follow one sync in the logs.
  const auto run_id = w->wait_for_event("sync_started", 0ms);
  ASSERT_TRUE(run_id && run_id->contains("request_id")) << w->output();
  int insights_requests = 0;
  for (const auto& line : w->lines()) {
    const auto event = json::parse(line, nullptr, false);
    if (!event.is_object() || event.value("event", "") != "outbound_request" ||
        event.value("url", "").find("/insights") == std::string::npos) {
      continue;
    }
    ++insights_requests;
    EXPECT_EQ(event.value("request_id", ""), (*run_id)["request_id"]) << line;
  }
  EXPECT_GT(insights_requests, 0) << w->output();
  const std::string yesterday = today_plus(-1);
  EXPECT_EQ(q("SELECT spend_minor FROM ad_spend WHERE campaign_id = 'c1' AND date = '" + yesterday + "'"),
            FakeProviders::spend_cents("c1", yesterday));

  // Meta restates yesterday: c1 spent more, c2's day is gone (spend moved to nothing).
  fake.restate("c1", yesterday, 4242);
  fake.restate("c2", yesterday, -1);
  sync_now(id);
  ASSERT_TRUE(eventually([&] { return runs("succeeded") == 2; })) << w->output();
  EXPECT_EQ(q("SELECT spend_minor FROM ad_spend WHERE campaign_id = 'c1' AND date = '" + yesterday + "'"), 4242);
  EXPECT_EQ(q("SELECT count(*) FROM ad_spend WHERE campaign_id = 'c2' AND date = '" + yesterday + "'"), 0);
  EXPECT_EQ(stored_rows(), reported_rows(10)) << "the re-pull replaces the days, it never adds to them";
  EXPECT_EQ(rollup_drift(), 0);

  // The dashboard's figure is the fake's own total.
  std::int64_t cents = 0;
  for (int d = -9; d <= 0; ++d) {
    for (const auto& c : fake.campaigns) cents += std::max<std::int64_t>(fake.reported_cents(c, today_plus(d)), 0);
  }
  const auto summary = api.get("/api/v1/metrics/summary?from=" + today_plus(-9) + "&to=" + today_plus(0), ann.token);
  ASSERT_EQ(summary.status, 200) << summary.body;
  EXPECT_EQ(summary.body["data"]["metrics"]["spend"]["value"], cents);
}

TEST_F(MetaSync, ANewWindowIsInsertedPlainlyAndARowSeenTwiceFallsBackToTheUpsert) {
  // A backfill's windows hold nothing yet: their batches are plain inserts. Overlapping pages
  // repeat a stored row; that batch is upserted instead and nothing is doubled or lost.
  fake.overlap_pages = true;
  connect_meta(ann, 30);  // one window, several pages
  auto w = start_worker();
  ASSERT_TRUE(eventually([&] { return runs("succeeded") == 1; })) << w->output();
  EXPECT_EQ(runs("failed"), 0);
  EXPECT_EQ(stored_rows(), reported_rows(30));
  EXPECT_TRUE(w->wait_for_event("sync_rows_already_stored", std::chrono::milliseconds(0))) << w->output();
  const auto [rows, cents] = expected(30);
  EXPECT_EQ(q("SELECT count(*) FROM ad_spend"), rows);
  EXPECT_EQ(q("SELECT sum(spend_minor) FROM ad_spend"), cents);
  EXPECT_EQ(q("SELECT rows_written FROM sync_runs"), rows) << "the repeated rows are not counted twice";
  EXPECT_EQ(rollup_drift(), 0) << "the batch that fell back to the upsert added nothing to the rollups twice";
}

TEST_F(MetaSync, ARowTwiceInOneBatchIsWrittenOnceOnBothPaths) {
  // Large batches gather overlapping pages: the repeated row is in the same batch as its first
  // occurrence. The backfill's plain insert and the re-pull's upsert both store it once.
  fake.overlap_pages = true;
  const std::string id = connect_meta(ann, 30);
  auto w = start_worker({{"SYNC_BATCH_ROWS", "1000"}});
  ASSERT_TRUE(eventually([&] { return runs("succeeded") == 1; })) << w->output();
  EXPECT_EQ(stored_rows(), reported_rows(30));
  fake.restate(fake.campaigns[0], today_plus(-1), 4242);
  sync_now(id);
  ASSERT_TRUE(eventually([&] { return runs("succeeded") == 2; })) << w->output();
  EXPECT_EQ(runs("failed"), 0) << w->output();
  EXPECT_EQ(stored_rows(), reported_rows(30));
  const auto [rows, cents] = expected(30);
  EXPECT_EQ(q("SELECT count(*) FROM ad_spend"), rows);
  EXPECT_EQ(rollup_drift(), 0);
}

TEST_F(MetaSync, TodayIsTheAdAccountsDayInItsTimeZone) {
  // UTC+14 all year (no daylight saving): from 10:00 UTC on, its today is UTC's tomorrow.
  fake.ad_account_timezone = "Pacific/Kiritimati";
  const auto kiritimati_today = [] {
    return schemas::metrics::format_day(
        std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now() + std::chrono::hours(14)));
  };
  const std::string before = kiritimati_today();
  const std::string id = connect_meta(ann, 3);
  auto w = start_worker();
  ASSERT_TRUE(eventually([&] { return runs("succeeded") == 1; })) << w->output();
  const std::string after = kiritimati_today();
  auto until = [&] {
    const auto asked = fake.requests_to("/v").back();
    return json::parse(asked.query.at("time_range"))["until"].get<std::string>();
  };
  EXPECT_TRUE(until() == before || until() == after) << until() << " is not today in Kiritimati";
  const auto newest = q("SELECT count(*) FROM ad_spend WHERE date = '" + until() + "'");
  EXPECT_EQ(newest, static_cast<std::int64_t>(fake.campaigns.size())) << "today's spend is stored";
  EXPECT_EQ(q("SELECT count(*) FROM ad_spend"), static_cast<std::int64_t>(3 * fake.campaigns.size()));

  // UTC-11 (no daylight saving): before 11:00 UTC its today is UTC's yesterday. Between the two
  // zones, every hour of the day has one whose date differs from UTC's.
  fake.ad_account_timezone = "Pacific/Pago_Pago";
  const auto pago_pago_today = [] {
    return schemas::metrics::format_day(
        std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now() - std::chrono::hours(11)));
  };
  const std::string pago_before = pago_pago_today();
  sync_now(id);
  ASSERT_TRUE(eventually([&] { return runs("succeeded") == 2; })) << w->output();
  EXPECT_TRUE(until() == pago_before || until() == pago_pago_today()) << until() << " is not today in Pago Pago";

  // A time zone PostgreSQL does not know falls back to UTC's today; the sync still completes.
  fake.ad_account_timezone = "Mars/Olympus_Mons";
  const std::string utc_before = today_plus(0);
  sync_now(id);
  ASSERT_TRUE(eventually([&] { return runs("succeeded") == 3; })) << w->output();
  EXPECT_TRUE(until() == utc_before || until() == today_plus(0)) << until();
  EXPECT_TRUE(w->wait_for_event("unknown_time_zone", std::chrono::milliseconds(0))) << w->output();
}

TEST_F(MetaSync, TheAdAccountPickerListsWhatTheLoginCanReadAndSavesTheChoice) {
  fake.ad_accounts = {{"1", "Store ads"}, {"2", "Brand ads"}, {"3", "Old agency"}};
  const std::string id = connect_meta(ann, 30);
  const std::string path = "/api/v1/integrations/" + id + "/ad-accounts";

  auto list = api.get(path, ann.token);
  ASSERT_EQ(list.status, 200) << list.body;
  ASSERT_EQ(list.body["data"].size(), 3u) << "every page of /me/adaccounts";
  EXPECT_EQ(list.body["selection"], "chosen");
  EXPECT_EQ(list.body["data"][0]["id"], "act_1");
  EXPECT_EQ(list.body["data"][0]["selected"], true);
  EXPECT_EQ(list.body["data"][1]["name"], "Brand ads");
  EXPECT_EQ(list.body["data"][1]["selected"], false);
  EXPECT_EQ(list.body["data"][1]["timezone"], fake.ad_account_timezone);
  EXPECT_EQ(list.body["data"][1]["status"], "active");

  // The choice is a settings patch that keeps the other settings.
  auto patched =
      api.send("PATCH", "/api/v1/integrations/" + id, ann.token, {{"settings", {{"ad_account_ids", {"act_2", "3"}}}}});
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_EQ(patched.body["data"]["settings"]["ad_account_ids"], json({"act_2", "act_3"}));
  EXPECT_EQ(patched.body["data"]["settings"]["backfill_days"], 30);
  list = api.get(path, ann.token);
  EXPECT_EQ(list.body["data"][0]["selected"], false);
  EXPECT_EQ(list.body["data"][2]["selected"], true);

  // null: back to every ad account.
  patched = api.send("PATCH", "/api/v1/integrations/" + id, ann.token, {{"settings", {{"ad_account_ids", nullptr}}}});
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_FALSE(patched.body["data"]["settings"].contains("ad_account_ids"));
  list = api.get(path, ann.token);
  EXPECT_EQ(list.body["selection"], "all");
  EXPECT_EQ(list.body["data"][1]["selected"], true);

  // Not Meta, another account's connection, a token Meta no longer accepts.
  const std::string shop = connect_shopify(ann);
  EXPECT_EQ(api.get("/api/v1/integrations/" + shop + "/ad-accounts", ann.token).status, 409);
  const Person bob = signup(api, "bob@example.com", "Bob's store");
  EXPECT_EQ(api.get(path, bob.token).status, 404);
  pqxx::connection c(db.url());
  pqxx::work tx(c);
  const auto sealed = test_credential_cipher().seal(
      json{{"access_token", "EAArevoked"}}.dump(),
      fmt::format("otq-credentials-v1|{}|{}",
                  tx.exec_params1("SELECT account_id FROM integrations WHERE public_id = $1", id)[0].as<std::int64_t>(),
                  id));
  tx.exec_params("UPDATE integrations SET credentials_ciphertext = $2 WHERE public_id = $1", id,
                 pqxx::binarystring(sealed.ciphertext));
  tx.commit();
  const auto revoked = api.get(path, ann.token);
  EXPECT_EQ(revoked.status, 409) << revoked.body;
  EXPECT_NE(revoked.body["error"]["message"].get<std::string>().find("Reconnect Meta"), std::string::npos)
      << revoked.body;
}

}  // namespace
}  // namespace otq::testing
