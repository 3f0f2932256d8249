// Data rights: the owner's export holds every table of the account and nothing of anyone else's
// or any secret; the erasure removes every row of the account everywhere, leaves other tenants
// alone, is recorded outside the account, and is refused while a subscription still renews.
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>
#include <pqxx/pqxx>

#include "app/security/random.hpp"
#include "tests/support/api_client.hpp"
#include "tests/support/env.hpp"
#include "tests/support/outbox.hpp"
#include "tests/support/pg.hpp"
#include "tests/support/process.hpp"

namespace otq::testing {
namespace {

using json = nlohmann::json;
namespace fs = std::filesystem;

json order_row(const std::string& id, const std::string& placed_at, std::int64_t total, const std::string& email) {
  return {{"platform", "shopify"},
          {"external_id", id},
          {"placed_at", placed_at},
          {"currency", "USD"},
          {"total", total},
          {"customer", {{"external_id", "cust-" + id}, {"email", email}}},
          {"refunds", {{{"external_id", "r-" + id}, {"created_at", "2026-11-03T10:00:00Z"}, {"amount", 100}}}}};
}

json spend_row(const std::string& campaign, const std::string& date) {
  return {{"platform", "meta"},
          {"ad_account_id", "act_1"},
          {"campaign_id", campaign},
          {"campaign_name", "=HYPERLINK()"},
          {"date", date},
          {"currency", "USD"},
          {"spend", 1234}};
}

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

struct DataRights : ::testing::Test {
  TestDatabase db;
  ServerProcess server = start_server(db.url());
  ApiClient api{server.port};
  Person ann = signup(api, "ann@example.com", "Ann's store");
  Person bob = signup(api, "bob@example.com", "Bob's store");
  std::string ann_key = ingest(ann, "ann", "buyer@ann.example");
  std::string bob_key = ingest(bob, "bob", "buyer@bob.example");
  fs::path dir = fs::temp_directory_path() / ("otq-data-rights-" + security::random_hex(6));

  DataRights() { fs::create_directories(dir); }
  ~DataRights() override { fs::remove_all(dir); }

  // An ingest key, three orders with customers and refunds, and two days of spend.
  std::string ingest(const Person& p, const std::string& prefix, const std::string& email) {
    const auto k = api.post("/api/v1/api-keys", {{"name", "feed"}, {"role", "ingest"}}, p.token);
    EXPECT_EQ(k.status, 201) << k.body;
    const std::string key = k.body["key"];
    const auto o =
        api.post("/api/v1/ingest/orders",
                 {{"rows",
                   {order_row(prefix + "-1", "2026-11-01T10:00:00Z", 5000, email),
                    order_row(prefix + "-2", "2026-11-02T10:00:00Z", 7000, email),
                    order_row(prefix + "-3", "2026-11-02T11:00:00Z", 9000, "other@" + prefix + ".example")}}},
                 key);
    EXPECT_EQ(o.status, 200) << o.body;
    const auto s = api.post("/api/v1/ingest/ad-spend",
                            {{"rows", {spend_row("c1", "2026-11-01"), spend_row("c1", "2026-11-02")}}}, key);
    EXPECT_EQ(s.status, 200) << s.body;
    return key;
  }

  std::int64_t q(const std::string& sql) {
    pqxx::connection c(db.url());
    pqxx::nontransaction tx(c);
    return tx.exec(sql)[0][0].as<std::int64_t>();
  }
  std::int64_t internal_id(const std::string& account_public_id) {
    return q("SELECT id FROM accounts WHERE public_id = '" + account_public_id + "'");
  }
  // Rows of the account in every table that has an account_id column, found in the catalogue,
  // so a table added later is covered without touching this test.
  std::map<std::string, std::int64_t> rows_everywhere(std::int64_t account) {
    pqxx::connection c(db.url());
    pqxx::nontransaction tx(c);
    std::map<std::string, std::int64_t> out;
    for (const auto& t : tx.exec("SELECT table_name FROM information_schema.columns WHERE table_schema = 'public' "
                                 "AND column_name = 'account_id' ORDER BY 1")) {
      const std::string table = t[0].as<std::string>();
      out[table] = tx.exec("SELECT count(*) FROM " + tx.quote_name(table) +
                           " WHERE account_id = " + std::to_string(account))[0][0]
                       .as<std::int64_t>();
    }
    return out;
  }
  // Extracts an archive with the system's tar: the format is checked by a real reader.
  void extract(const std::string& archive) {
    const fs::path file = dir / "export.tar.gz";
    std::ofstream(file, std::ios::binary) << archive;
    run_command("tar -xzf '" + file.string() + "' -C '" + dir.string() + "'");
    fs::remove(file);
  }
};

TEST_F(DataRights, TheOwnersExportHoldsEveryTableOfTheAccountAndNothingElse) {
  httplib::Headers auth{{"Authorization", "Bearer " + ann.token}};
  auto r = api.raw().Post("/api/v1/accounts/current/export", auth, "", "application/json");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(r->get_header_value("Content-Type"), "application/gzip");
  EXPECT_NE(r->get_header_value("Content-Disposition").find("omnitrackiq-" + ann.account_id + "-"), std::string::npos);
  extract(r->body);

  const json account = json::parse(read_file(dir / "account.json"));
  EXPECT_EQ(account["id"], ann.account_id);
  EXPECT_EQ(account["name"], "Ann's store");
  const json manifest = json::parse(read_file(dir / "manifest.json"));
  EXPECT_EQ(manifest["account"], ann.account_id);
  std::map<std::string, std::int64_t> rows;
  for (const auto& f : manifest["files"]) {
    rows[f["table"].get<std::string>()] += f["rows"].get<std::int64_t>();
    ASSERT_TRUE(fs::exists(dir / f["name"].get<std::string>())) << f;
  }
  EXPECT_EQ(rows["orders"], 3);
  EXPECT_EQ(rows["order_refunds"], 3);
  EXPECT_EQ(rows["customers"], 3);
  EXPECT_EQ(rows["ad_spend"], 2);
  EXPECT_EQ(rows["members"], 1);
  EXPECT_EQ(rows["api_keys"], 1);
  EXPECT_EQ(rows["integrations"], 0);
  EXPECT_GE(rows["audit_log"], 2) << "signup and the key";
  EXPECT_EQ(manifest["files"].size(), 12u) << "one file per table, even an empty one";

  const std::string orders = read_file(dir / "orders-0001.csv");
  EXPECT_TRUE(orders.starts_with("id,platform,external_id,order_number,customer_external_id,email,placed_at"))
      << orders.substr(0, 200);
  EXPECT_NE(orders.find("ann-2"), std::string::npos);
  EXPECT_NE(orders.find("buyer@ann.example"), std::string::npos) << "the owner's export is not masked";
  EXPECT_NE(read_file(dir / "ad_spend-0001.csv").find("'=HYPERLINK()"), std::string::npos)
      << "a formula is defused for spreadsheets";
  EXPECT_NE(read_file(dir / "orders-0001.csv").find(",false,"), std::string::npos) << "booleans read as words";

  std::string everything;
  for (const auto& f : fs::directory_iterator(dir)) everything += read_file(f.path());
  EXPECT_EQ(everything.find("bob"), std::string::npos) << "nothing of another tenant";
  EXPECT_EQ(everything.find(bob.account_id), std::string::npos);
  EXPECT_EQ(everything.find("$2b$"), std::string::npos) << "no password hash";
  EXPECT_EQ(everything.find(ann_key), std::string::npos) << "no API key";
  // The audit log records the export itself.
  EXPECT_EQ(q("SELECT count(*) FROM audit_log WHERE action = 'account.exported' AND account_id = " +
              std::to_string(internal_id(ann.account_id))),
            1);
}

TEST_F(DataRights, OnlyTheOwnerMayExportOrEraseAndNeverWithAKey) {
  // Bob joins Ann's account as an admin.
  ASSERT_EQ(
      api.post("/api/v1/accounts/current/members", {{"email", "bob@example.com"}, {"role", "admin"}}, ann.token).status,
      201);
  ASSERT_EQ(
      api.post("/api/v1/invitations/accept", {{"token", mailed_token(db, "bob@example.com", "/invite")}}, bob.token)
          .status,
      200);
  const std::string bob_in_ann =
      api.post("/api/v1/auth/switch-account", {{"account_id", ann.account_id}}, bob.token).body["access_token"];
  EXPECT_EQ(api.post("/api/v1/accounts/current/export", json::object(), bob_in_ann).status, 403);
  EXPECT_EQ(api.send("DELETE", "/api/v1/accounts/current", bob_in_ann, {{"confirm", ann.account_id}}).status, 403);
  EXPECT_EQ(api.post("/api/v1/accounts/current/export", json::object(), ann_key).status, 403) << "an API key";
  EXPECT_EQ(api.send("DELETE", "/api/v1/accounts/current", ann_key, {{"confirm", ann.account_id}}).status, 403);
  EXPECT_EQ(api.post("/api/v1/accounts/current/export", json::object()).status, 401);
  EXPECT_EQ(q("SELECT count(*) FROM accounts"), 2) << "nothing erased";
}

TEST_F(DataRights, ErasureNeedsTheAccountsIdThenRemovesEveryRowOfItEverywhere) {
  const std::int64_t a = internal_id(ann.account_id);
  const std::int64_t b = internal_id(bob.account_id);
  {
    pqxx::connection c(db.url());
    pqxx::work tx(c);
    tx.exec0("INSERT INTO jobs (account_id, kind) VALUES (" + std::to_string(a) + ", 'integration.sync')");
    tx.exec0("INSERT INTO stripe_events (id, type, account_id, payload) VALUES ('evt_ann', 'customer.updated', " +
             std::to_string(a) + ", '{\"email\":\"ann@example.com\"}')");
    tx.commit();
  }
  const auto bob_before = rows_everywhere(b);
  EXPECT_EQ(bob_before.at("orders"), 3);

  EXPECT_EQ(api.send("DELETE", "/api/v1/accounts/current", ann.token, json::object()).status, 400) << "no confirmation";
  const auto wrong = api.send("DELETE", "/api/v1/accounts/current", ann.token, {{"confirm", bob.account_id}});
  EXPECT_EQ(wrong.status, 422) << wrong.body;
  EXPECT_NE(wrong.body["error"]["message"].get<std::string>().find(ann.account_id), std::string::npos)
      << "the message says what to send";
  EXPECT_EQ(rows_everywhere(a).at("orders"), 3) << "nothing erased yet";

  const auto erased = api.send("DELETE", "/api/v1/accounts/current", ann.token, {{"confirm", ann.account_id}});
  ASSERT_EQ(erased.status, 200) << erased.body;
  EXPECT_EQ(erased.body["rows"]["orders"], 3);
  EXPECT_EQ(erased.body["rows"]["jobs"], 1);
  EXPECT_EQ(erased.body["rows"]["stripe_events"], 1);

  for (const auto& [table, n] : rows_everywhere(a)) EXPECT_EQ(n, 0) << table;
  EXPECT_EQ(q("SELECT count(*) FROM stripe_events WHERE id = 'evt_ann'"), 0) << "Stripe's copy of the email too";
  EXPECT_EQ(q("SELECT count(*) FROM accounts WHERE id = " + std::to_string(a)), 0);
  EXPECT_EQ(rows_everywhere(b), bob_before) << "another tenant's rows are untouched";
  EXPECT_EQ(q("SELECT count(*) FROM account_erasures WHERE account_public_id = '" + ann.account_id +
              "' AND erased_by = '" + ann.user_id + "' AND (rows_erased->>'orders')::int = 3"),
            1)
      << "the erasure is recorded outside the account";

  // What Ann held no longer opens anything.
  EXPECT_EQ(api.get("/api/v1/accounts/current", ann.token).status / 100, 4);
  EXPECT_EQ(api.post("/api/v1/ingest/orders", {{"rows", json::array()}}, ann_key).status, 401);
  // Bob's dashboard still adds up.
  const auto summary = api.get("/api/v1/metrics/summary?from=2026-11-01&to=2026-11-02", bob.token);
  ASSERT_EQ(summary.status, 200) << summary.body;
  EXPECT_EQ(summary.body["data"]["metrics"]["orders"]["value"], 3);
}

TEST_F(DataRights, ASubscriptionThatStillRenewsMustBeCancelledFirst) {
  const std::int64_t a = internal_id(ann.account_id);
  {
    pqxx::connection c(db.url());
    pqxx::work tx(c);
    tx.exec0(
        "INSERT INTO subscriptions (account_id, stripe_customer_id, stripe_subscription_id, plan, status) VALUES (" +
        std::to_string(a) + ", 'cus_ann', 'sub_ann', 'growth', 'active')");
    tx.commit();
  }
  const auto refused = api.send("DELETE", "/api/v1/accounts/current", ann.token, {{"confirm", ann.account_id}});
  EXPECT_EQ(refused.status, 409) << refused.body;
  EXPECT_NE(refused.body["error"]["message"].get<std::string>().find("billing portal"), std::string::npos);
  EXPECT_EQ(rows_everywhere(a).at("orders"), 3) << "nothing erased";
  {
    pqxx::connection c(db.url());
    pqxx::work tx(c);
    tx.exec0("UPDATE subscriptions SET cancel_at_period_end = true WHERE stripe_subscription_id = 'sub_ann'");
    tx.commit();
  }
  EXPECT_EQ(api.send("DELETE", "/api/v1/accounts/current", ann.token, {{"confirm", ann.account_id}}).status, 200);
}

TEST_F(DataRights, TheShellCommandsExportAndEraseTheSame) {
  const std::string archive = (dir / "ann.tar.gz").string();
  const std::map<std::string, std::string> env{{"DATABASE_URL", db.url()}, {"USER", "ops-jane"}};
  auto [code, out] = run_binary({"account", "export", "--account", ann.account_id, "--output", archive}, env);
  ASSERT_EQ(code, 0) << out;
  EXPECT_FALSE(fs::exists(archive + ".partial"));
  extract(read_file(archive));
  EXPECT_NE(read_file(dir / "orders-0001.csv").find("ann-3"), std::string::npos);

  auto [missing, missing_out] =
      run_binary({"account", "export", "--account", "acct_0000000000000000000000", "--output", archive + "2"}, env);
  EXPECT_NE(missing, 0);
  EXPECT_NE(missing_out.find("No account acct_0000000000000000000000"), std::string::npos) << missing_out;
  EXPECT_FALSE(fs::exists(archive + "2"));

  auto [unconfirmed, unconfirmed_out] =
      run_binary({"account", "erase", "--account", ann.account_id, "--confirm", bob.account_id}, env);
  EXPECT_NE(unconfirmed, 0);
  EXPECT_EQ(q("SELECT count(*) FROM accounts"), 2);
  auto [erased, erased_out] =
      run_binary({"account", "erase", "--account", ann.account_id, "--confirm", ann.account_id}, env);
  ASSERT_EQ(erased, 0) << erased_out;
  EXPECT_EQ(q("SELECT count(*) FROM accounts"), 1);
  EXPECT_EQ(q("SELECT count(*) FROM account_erasures WHERE erased_by = 'operator:ops-jane'"), 1);
}

}  // namespace
}  // namespace otq::testing
