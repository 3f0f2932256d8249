// /api/v1/ingest/*: the public row contract, row-by-row rejection, idempotency, tenancy, limits.
#include <future>
#include <thread>

#include <gtest/gtest.h>
#include <pqxx/pqxx>

#include "tests/support/api_client.hpp"
#include "tests/support/pg.hpp"
#include "tests/support/process.hpp"

namespace otq::testing {
namespace {

using nlohmann::json;

// `base` with the fields of `patch` set.
json with(json base, const json& patch) {
  base.update(patch);
  return base;
}

json spend_row(const std::string& campaign, const std::string& date, std::int64_t spend) {
  return {
      {"platform", "meta"}, {"ad_account_id", "act_1"}, {"campaign_id", campaign},  {"campaign_name", "Prospecting"},
      {"date", date},       {"currency", "USD"},        {"spend", spend},           {"impressions", 1000},
      {"clicks", 50},       {"conversions", 3},         {"conversion_value", 45000}};
}

// The contract's example order, as docs/ingest.md prints it.
json order_row(const std::string& id, const std::string& placed_at, std::int64_t total) {
  return with(json::parse(R"({"platform": "shopify", "order_number": "#1001", "currency": "USD", "subtotal": 9000,
    "discounts": 0, "shipping": 500, "tax": 500, "financial_status": "paid", "cancelled_at": null, "test": false,
    "customer": {"external_id": "c-9", "email": "a@example.com"},
    "landing_site": "/?utm_source=facebook&utm_campaign=bf", "referring_site": null,
    "refunds": [{"external_id": "r1", "created_at": "2026-11-03T10:00:00Z", "amount": 2000}]})"),
              {{"external_id", id}, {"placed_at", placed_at}, {"total", total}});
}

struct Ingest : ::testing::Test {
  TestDatabase db;
  ServerProcess server = start_server(db.url());
  ApiClient api{server.port};
  Person owner = signup(api, "owner@example.com", "Store");
  std::string key = create_key(owner.token, "ingest");

  std::string create_key(const std::string& token, const std::string& role) {
    const auto r = api.post("/api/v1/api-keys", {{"name", "n8n " + role}, {"role", role}}, token);
    EXPECT_EQ(r.status, 201) << r.body;
    return r.status == 201 ? r.body["key"].get<std::string>() : "";
  }

  std::int64_t scalar(const std::string& sql) {
    pqxx::connection c(db.url());
    pqxx::nontransaction tx(c);
    return tx.exec(sql)[0][0].as<std::int64_t>();
  }

  // Each metric's value in the owner's dashboard summary.
  json summary(const std::string& from, const std::string& to) {
    const auto r = api.get("/api/v1/metrics/summary?from=" + from + "&to=" + to, owner.token);
    EXPECT_EQ(r.status, 200) << r.body;
    json values = json::object();
    for (const auto& [name, m] : r.body["data"]["metrics"].items()) values[name] = m["value"];
    return values;
  }
};

TEST_F(Ingest, GoodRowsAreStoredAndBadRowsListedWithEveryReason) {
  json rows = json::array({spend_row("c1", "2026-11-01", 12345), spend_row("c2", "2026-11-01", 5000)});
  rows.push_back(spend_row("c3", "2026-11-31", 100));                           // 2: no such day
  rows.push_back(with(spend_row("c4", "2026-11-02", 100), {{"spend", 12.5}}));  // 3: not minor units
  rows.push_back(json{{"platform", "snapchat"}, {"date", "2026-11-01"}});       // 4: many problems
  rows.push_back("not an object");                                              // 5
  rows.push_back(spend_row("c1", "2026-11-01", 1));                             // 6: duplicate of 0

  const auto r = api.post("/api/v1/ingest/ad-spend", {{"rows", rows}}, key);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.body["accepted"], 2);
  EXPECT_EQ(r.body["inserted"], 2);
  ASSERT_EQ(r.body["rejected"].size(), 5u) << r.body;
  const auto& rej = r.body["rejected"];
  EXPECT_EQ(rej[0]["index"], 2);
  EXPECT_NE(rej[0]["errors"][0].get<std::string>().find("date"), std::string::npos);
  EXPECT_EQ(rej[1]["index"], 3);
  EXPECT_NE(rej[1]["errors"][0].get<std::string>().find("12.34 USD is 1234"), std::string::npos) << rej[1];
  EXPECT_EQ(rej[2]["index"], 4);
  EXPECT_GE(rej[2]["errors"].size(), 5u) << "platform, ad_account_id, campaign_id, currency, spend: " << rej[2];
  EXPECT_EQ(rej[3]["index"], 5);
  EXPECT_EQ(rej[4]["index"], 6);
  EXPECT_NE(rej[4]["errors"][0].get<std::string>().find("index 0"), std::string::npos) << rej[4];

  EXPECT_EQ(scalar("SELECT count(*) FROM ad_spend"), 2);
  EXPECT_EQ(scalar("SELECT sum(spend_minor) FROM ad_spend WHERE platform = 'facebook_ads'"), 17345);
  // The rollups (and so the dashboard) saw the rows.
  EXPECT_EQ(summary("2026-11-01", "2026-11-01")["spend"], 17345);
}

TEST_F(Ingest, TheSameBatchTwiceChangesNothingAndAChangedRowReplacesTheOld) {
  const json batch = {{"rows", {spend_row("c1", "2026-11-01", 12345), spend_row("c1", "2026-11-02", 100)}}};
  ASSERT_EQ(api.post("/api/v1/ingest/ad-spend", batch, key).body["inserted"], 2);
  const auto version = scalar("SELECT coalesce(max(version), 0) FROM rollup_versions");

  const auto again = api.post("/api/v1/ingest/ad-spend", batch, key);
  ASSERT_EQ(again.status, 200);
  EXPECT_EQ(again.body["accepted"], 2);
  EXPECT_EQ(again.body["inserted"], 0);
  EXPECT_EQ(again.body["updated"], 0);
  EXPECT_EQ(again.body["unchanged"], 2);
  EXPECT_EQ(scalar("SELECT count(*) FROM ad_spend"), 2);
  EXPECT_EQ(scalar("SELECT coalesce(max(version), 0) FROM rollup_versions"), version)
      << "an unchanged batch does no rollup work";

  // Meta restated day one: the row is replaced, not added to.
  const json restated = {{"rows", {with(spend_row("c1", "2026-11-01", 20000), {{"campaign_name", "Renamed"}})}}};
  const auto r = api.post("/api/v1/ingest/ad-spend", restated, key);
  EXPECT_EQ(r.body["updated"], 1);
  EXPECT_EQ(scalar("SELECT count(*) FROM ad_spend"), 2);
  EXPECT_EQ(summary("2026-11-01", "2026-11-02")["spend"], 20100);
  EXPECT_EQ(scalar("SELECT count(*) FROM ad_spend WHERE campaign_name = 'Renamed'"), 1);
}

TEST_F(Ingest, AThirdConcurrentBatchOfOneAccountIs429WhileOtherAccountsWriteOn) {
  const std::int64_t account = scalar("SELECT id FROM accounts WHERE public_id = '" + owner.account_id + "'");
  // Hold the account's rollup lock, so its batches queue behind it inside the server.
  pqxx::connection holder(db.url());
  pqxx::work lock(holder);
  lock.exec_params("SELECT otq_lock_rollups_for_write($1)", account);
  auto send = [&](const std::string& campaign) {
    return std::async(std::launch::async, [this, campaign] {
      ApiClient c{server.port};
      return c.post("/api/v1/ingest/ad-spend", {{"rows", {spend_row(campaign, "2026-11-01", 100)}}}, key);
    });
  };
  auto first = send("c1");
  auto second = send("c2");
  // Both are inside the server, waiting for the lock.
  bool both_waiting = false;
  for (int i = 0; i < 1500 && !both_waiting; ++i) {  // at most 30 s
    both_waiting = scalar(
                       "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND wait_event = "
                       "'advisory' AND application_name LIKE 'omnitrackiq%'") == 2;
    if (!both_waiting) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_TRUE(both_waiting);
  const auto third = api.post("/api/v1/ingest/ad-spend", {{"rows", {spend_row("c3", "2026-11-01", 100)}}}, key);
  EXPECT_EQ(third.status, 429) << third.body;
  EXPECT_EQ(third.error_code(), "rate_limited");
  EXPECT_EQ(third.header("Retry-After"), "1");
  // Another account is not held up by this one's queue.
  const Person other = signup(api, "other@example.com", "Other store");
  const std::string other_key = create_key(other.token, "ingest");
  EXPECT_EQ(api.post("/api/v1/ingest/ad-spend", {{"rows", {spend_row("c9", "2026-11-01", 100)}}}, other_key).status,
            200);
  lock.commit();
  EXPECT_EQ(first.get().status, 200);
  EXPECT_EQ(second.get().status, 200);
  // The slots are free again.
  EXPECT_EQ(api.post("/api/v1/ingest/ad-spend", {{"rows", {spend_row("c3", "2026-11-01", 100)}}}, key).status, 200);
  EXPECT_EQ(scalar("SELECT count(*) FROM ad_spend WHERE account_id = " + std::to_string(account)), 3);
}

TEST_F(Ingest, AKeyTwiceInOneBatchIsRefusedOnTheSecondRow) {
  const json spend = {
      {"rows",
       {spend_row("c1", "2026-11-01", 100), spend_row("c2", "2026-11-01", 7), spend_row("c1", "2026-11-01", 300)}}};
  const auto s = api.post("/api/v1/ingest/ad-spend", spend, key);
  ASSERT_EQ(s.status, 200) << s.body;
  EXPECT_EQ(s.body["inserted"], 2);
  ASSERT_EQ(s.body["rejected"].size(), 1u) << s.body;
  EXPECT_EQ(s.body["rejected"][0]["index"], 2);
  EXPECT_NE(s.body["rejected"][0].dump().find("already at index 0"), std::string::npos) << s.body;
  EXPECT_EQ(scalar("SELECT spend_minor FROM ad_spend WHERE campaign_id = 'c1'"), 100);
}

TEST_F(Ingest, OrdersWithCustomersRefundsAndUtmsFeedTheMetrics) {
  json first = order_row("1001", "2026-11-01T03:30:00Z", 10000);
  json second = order_row("1002", "2026-11-02T12:00:00Z", 5000);
  second["refunds"] = json::array();
  second["landing_site"] = "https://shop.example.com/p?utm_source=google&utm_medium=cpc&gclid=Cj0KCQ%2Dabc";
  second["presentment_currency"] = "EUR";
  second["line_items_count"] = 3;
  first["fbclid"] = "IwAR-given";  // an explicit click id wins over the landing page's
  json guest = order_row("1003", "2026-11-02T13:00:00+01:00", 3000);
  guest["customer"] = {{"email", "Guest@Example.com"}};
  guest.erase("refunds");
  const auto r = api.post("/api/v1/ingest/orders", {{"rows", {first, second, guest}}}, key);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.body["accepted"], 3);
  EXPECT_EQ(r.body["inserted"], 3);

  EXPECT_EQ(scalar("SELECT count(*) FROM customers"), 2) << "c-9 and the guest, identified by email";
  EXPECT_EQ(scalar("SELECT count(*) FROM orders o JOIN customers c ON c.account_id = o.account_id "
                   "AND c.id = o.customer_id WHERE c.external_id = 'c-9'"),
            2);
  EXPECT_EQ(scalar("SELECT count(*) FROM orders WHERE utm_source = 'facebook' AND utm_campaign = 'bf'"), 2);
  EXPECT_EQ(scalar("SELECT count(*) FROM orders WHERE utm_source = 'google' AND utm_medium = 'cpc'"), 1);
  EXPECT_EQ(scalar("SELECT count(*) FROM order_refunds"), 1);
  EXPECT_EQ(scalar("SELECT count(*) FROM orders WHERE external_id = '1002' AND gclid = 'Cj0KCQ-abc' "
                   "AND presentment_currency = 'EUR' AND line_items_count = 3 AND fbclid IS NULL"),
            1);
  EXPECT_EQ(scalar("SELECT count(*) FROM orders WHERE external_id = '1001' AND fbclid = 'IwAR-given'"), 1);

  // The account is UTC: 1001 on 11-01, 1002 and 1003 on 11-02; refund r1 on 11-03.
  const json s = summary("2026-11-01", "2026-11-03");
  EXPECT_EQ(s["orders"], 3);
  EXPECT_EQ(s["revenue"], 18000);
  EXPECT_EQ(s["refunds"], 2000);
  EXPECT_EQ(s["new_customers"], 2);

  // The store changed 1001: the refund is gone and the total edited. The row replaces the old.
  first["refunds"] = json::array();
  first["total"] = 9000;
  const auto edited = api.post("/api/v1/ingest/orders", {{"rows", {first}}}, key);
  EXPECT_EQ(edited.body["updated"], 1);
  EXPECT_EQ(scalar("SELECT count(*) FROM order_refunds"), 0);
  EXPECT_EQ(summary("2026-11-01", "2026-11-03")["revenue"], 17000);

  // A late retry of an older version (updated_at before the stored one) is ignored.
  json newer = first;
  newer["updated_at"] = "2026-11-05T00:00:00Z";
  newer["total"] = 8000;
  ASSERT_EQ(api.post("/api/v1/ingest/orders", {{"rows", {newer}}}, key).body["updated"], 1);
  json older = first;
  older["updated_at"] = "2026-11-04T00:00:00Z";
  older["total"] = 1;
  const auto late = api.post("/api/v1/ingest/orders", {{"rows", {older}}}, key);
  EXPECT_EQ(late.body["unchanged"], 1);
  EXPECT_EQ(scalar("SELECT total_minor FROM orders WHERE external_id = '1001'"), 8000);
}

TEST_F(Ingest, BadOrderRowsSayWhatToFix) {
  json bad = order_row("1001", "2026-11-01 03:30", 10000);  // no offset
  bad["refunds"] = {{{"external_id", "r1"}, {"created_at", "2026-11-03T10:00:00Z"}, {"amount", 20000}}};
  bad["currency"] = "usd";
  bad["customer"] = {{"first_name", "Ann"}};
  const auto r = api.post("/api/v1/ingest/orders", json::array({bad}), key);
  ASSERT_EQ(r.status, 422) << r.body;
  EXPECT_EQ(r.body["accepted"], 0);
  EXPECT_EQ(r.error_code(), "unprocessable");
  const std::string errors = r.body["rejected"][0]["errors"].dump();
  for (const char* part :
       {"placed_at", "RFC 3339", "currency", "customer.external_id", "more than the order's total"}) {
    EXPECT_NE(errors.find(part), std::string::npos) << part << " in " << errors;
  }
  EXPECT_EQ(scalar("SELECT count(*) FROM orders"), 0);
}

TEST_F(Ingest, AKeyWritesOnlyIntoItsOwnAccount) {
  ApiClient other_api{server.port};
  const Person other = signup(other_api, "other@example.com", "Other store");
  const std::string other_key = create_key(other.token, "ingest");
  ASSERT_EQ(api.post("/api/v1/ingest/ad-spend", {{"rows", {spend_row("c1", "2026-11-01", 700)}}}, other_key).status,
            200);
  EXPECT_EQ(scalar("SELECT count(*) FROM ad_spend a JOIN accounts x ON x.id = a.account_id WHERE x.public_id = '" +
                   other.account_id + "'"),
            1);
  EXPECT_EQ(summary("2026-11-01", "2026-11-01")["spend"], 0) << "the owner's account saw nothing";
}

TEST_F(Ingest, OversizedBatchesAndWrongCallersAreRefused) {
  json rows = json::array();
  for (int i = 0; i < 5001; ++i) rows.push_back(spend_row("c" + std::to_string(i), "2026-11-01", 1));
  const auto big = api.post("/api/v1/ingest/ad-spend", {{"rows", rows}}, key);
  EXPECT_EQ(big.status, 413) << big.body;
  EXPECT_NE(big.body["error"]["message"].get<std::string>().find("at most 5000 rows"), std::string::npos);
  EXPECT_EQ(scalar("SELECT count(*) FROM ad_spend"), 0);

  rows.erase(rows.size() - 1);
  const auto full = api.post("/api/v1/ingest/ad-spend", {{"rows", rows}}, key);
  EXPECT_EQ(full.status, 200) << full.body;
  EXPECT_EQ(full.body["accepted"], 5000);

  const std::string read_key = create_key(owner.token, "read");
  EXPECT_EQ(api.post("/api/v1/ingest/ad-spend", {{"rows", {spend_row("x", "2026-11-01", 1)}}}, read_key).status, 403);
  EXPECT_EQ(api.post("/api/v1/ingest/ad-spend", {{"rows", {spend_row("x", "2026-11-01", 1)}}}).status, 401);
  EXPECT_EQ(api.get("/api/v1/metrics/summary", key).status, 403) << "an ingest key cannot read";
  EXPECT_EQ(api.post("/api/v1/ingest/orders", {{"rows", json::array()}}, key).status, 422);
  EXPECT_EQ(api.post("/api/v1/ingest/orders", {{"data", json::array()}}, key).status, 400);
  // A user with analyst rights may ingest too.
  EXPECT_EQ(api.post("/api/v1/ingest/ad-spend", {{"rows", {spend_row("u", "2026-11-03", 1)}}}, owner.token).status,
            200);
}

TEST_F(Ingest, InputsThePostgresTypesWouldRefuseAreRejectedRowByRowNotWithA500) {
  json nul = spend_row("c1", "2026-11-01", 1);
  nul["campaign_name"] = std::string("bad\0name", 8);
  json far_offset = order_row("o1", "2026-01-01T00:00:00+20:00", 100);
  json huge_conversions = with(spend_row("c2", "2026-11-01", 1), {{"conversions", 100000000000000}});
  const auto spend =
      api.post("/api/v1/ingest/ad-spend", {{"rows", {nul, huge_conversions, spend_row("ok", "2026-11-01", 5)}}}, key);
  ASSERT_EQ(spend.status, 200) << spend.body;
  EXPECT_EQ(spend.body["accepted"], 1);
  EXPECT_EQ(spend.body["rejected"].size(), 2u) << spend.body;

  // A UTM value that is not UTF-8, or NUL, is dropped; one cut at 500 bytes keeps whole characters.
  json odd_utm = order_row("o2", "2026-11-01T10:00:00Z", 100);
  odd_utm["landing_site"] = "/?utm_source=%FF%FE&utm_medium=%00&utm_campaign=" + std::string(499, 'a') + "%C3%A9";
  odd_utm.erase("refunds");
  // The same refund id on two orders of one batch: the later order is refused.
  json first = order_row("o3", "2026-11-01T10:00:00Z", 5000);
  json second = order_row("o4", "2026-11-01T11:00:00Z", 5000);
  const auto orders = api.post("/api/v1/ingest/orders", {{"rows", {far_offset, odd_utm, first, second}}}, key);
  ASSERT_EQ(orders.status, 200) << orders.body;
  EXPECT_EQ(orders.body["accepted"], 2);
  ASSERT_EQ(orders.body["rejected"].size(), 2u) << orders.body;
  EXPECT_EQ(orders.body["rejected"][0]["index"], 0) << "a +20:00 offset does not exist";
  EXPECT_EQ(orders.body["rejected"][1]["index"], 3);
  EXPECT_NE(orders.body["rejected"][1]["errors"][0].get<std::string>().find("already in the order at index 2"),
            std::string::npos)
      << orders.body;
  EXPECT_EQ(scalar("SELECT count(*) FROM orders WHERE external_id = 'o2' AND utm_source IS NULL AND utm_medium IS NULL "
                   "AND char_length(utm_campaign) = 499"),
            1);
  json lower_currency = order_row("o5", "2026-11-01T10:00:00Z", 100);
  lower_currency["presentment_currency"] = "eur";
  lower_currency["line_items_count"] = -1;
  lower_currency.erase("refunds");
  const auto bad = api.post("/api/v1/ingest/orders", {{"rows", {lower_currency}}}, key);
  ASSERT_EQ(bad.body["rejected"].size(), 1u) << bad.body;
  EXPECT_EQ(bad.body["rejected"][0]["errors"].size(), 2u) << bad.body;
}

}  // namespace
}  // namespace otq::testing
