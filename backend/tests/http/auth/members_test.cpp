// Accounts and members: invitations, roles, the last owner, and the tenant boundary on every
// route that takes an object id (table-driven: a new route with a path parameter must join).
#include <set>

#include <gtest/gtest.h>
#include <pqxx/pqxx>

#include "app/api/router.hpp"
#include "tests/support/api_client.hpp"
#include "tests/support/outbox.hpp"
#include "tests/support/pg.hpp"
#include "tests/support/process.hpp"
#include "tests/support/routes.hpp"

namespace otq::testing {
namespace {

// Ann owns an account; Bob joins it through an invitation as `role`.
struct Team {
  Person ann, bob;
};
Team make_team(ApiClient& api, const TestDatabase& db, const std::string& role) {
  Team t{signup(api, "ann@example.com"), signup(api, "bob@example.com")};
  const auto invited =
      api.send("POST", "/api/v1/accounts/current/members", t.ann.token, {{"email", "Bob@Example.com"}, {"role", role}});
  EXPECT_EQ(invited.status, 201) << invited.body;
  const auto accepted =
      api.post("/api/v1/invitations/accept", {{"token", mailed_token(db, "Bob@Example.com", "/invite")}}, t.bob.token);
  EXPECT_EQ(accepted.status, 200) << accepted.body;
  const auto switched = api.post("/api/v1/auth/switch-account", {{"account_id", t.ann.account_id}}, t.bob.token);
  t.bob.token = switched.body["access_token"];
  return t;
}

TEST(Members, InvitationIsMailedSingleUseAndOnlyForItsAddressee) {
  TestDatabase db;
  auto server = start_server(db.url());
  ApiClient api(server.port);
  const Person ann = signup(api, "ann@example.com");
  const Person bob = signup(api, "bob@example.com");
  const Person cay = signup(api, "cay@example.com");
  const auto invited =
      api.post("/api/v1/accounts/current/members", {{"email", "bob@example.com"}, {"role", "analyst"}}, ann.token);
  ASSERT_EQ(invited.status, 201) << invited.body;
  EXPECT_TRUE(invited.body["id"].get<std::string>().starts_with("inv_"));
  EXPECT_EQ(api.post("/api/v1/accounts/current/members", {{"email", "BOB@example.com"}, {"role", "viewer"}}, ann.token)
                .status,
            409)
      << "one pending invitation per address";
  const std::string token = mailed_token(db, "bob@example.com", "/invite");
  {
    pqxx::connection c(db.url());
    pqxx::work tx(c);
    EXPECT_EQ(
        tx.exec_params1("SELECT count(*) FROM invitations WHERE token_hash = sha256($1::bytea)", token)[0].as<int>(), 1)
        << "stored as a SHA-256 hash";
    EXPECT_EQ(
        tx.exec_params1("SELECT count(*) FROM invitations WHERE encode(token_hash, 'escape') LIKE '%' || $1 || '%'",
                        token)[0]
            .as<int>(),
        0);
  }
  EXPECT_EQ(api.post("/api/v1/invitations/accept", {{"token", token}}, cay.token).status, 404)
      << "not Cay's invitation";
  const auto accepted = api.post("/api/v1/invitations/accept", {{"token", token}}, bob.token);
  ASSERT_EQ(accepted.status, 200) << accepted.body;
  EXPECT_EQ(accepted.body["id"], ann.account_id);
  EXPECT_EQ(accepted.body["role"], "analyst");
  EXPECT_EQ(api.post("/api/v1/invitations/accept", {{"token", token}}, bob.token).status, 404) << "single use";

  const auto people = api.get("/api/v1/accounts/current/members", ann.token);
  ASSERT_EQ(people.status, 200);
  ASSERT_EQ(people.body["data"].size(), 2u);
  EXPECT_EQ(people.body["data"][1]["user"]["id"], bob.user_id);
  EXPECT_EQ(people.body["data"][1]["role"], "analyst");
  EXPECT_TRUE(people.body["invitations"].empty());
  EXPECT_EQ(api.post("/api/v1/accounts/current/members", {{"email", "bob@example.com"}, {"role", "viewer"}}, ann.token)
                .status,
            409)
      << "already a member";
}

TEST(Members, TheLastOwnerCanNeitherBeDemotedNorRemoved) {
  TestDatabase db;
  auto server = start_server(db.url());
  ApiClient api(server.port);
  const Team t = make_team(api, db, "admin");
  const std::string ann_path = "/api/v1/accounts/current/members/" + t.ann.user_id;
  const std::string bob_path = "/api/v1/accounts/current/members/" + t.bob.user_id;
  EXPECT_EQ(api.send("PATCH", ann_path, t.ann.token, {{"role", "admin"}}).status, 409);
  EXPECT_EQ(api.send("DELETE", ann_path, t.ann.token).status, 409);
  // An admin may not touch the owner role at all.
  EXPECT_EQ(api.send("PATCH", ann_path, t.bob.token, {{"role", "viewer"}}).status, 403);
  EXPECT_EQ(api.send("PATCH", bob_path, t.bob.token, {{"role", "owner"}}).status, 403);
  EXPECT_EQ(
      api.send("POST", "/api/v1/accounts/current/members", t.bob.token, {{"email", "x@example.com"}, {"role", "owner"}})
          .status,
      403);
  // With a second owner, the first may step down.
  EXPECT_EQ(api.send("PATCH", bob_path, t.ann.token, {{"role", "owner"}}).status, 200);
  EXPECT_EQ(api.send("PATCH", ann_path, t.ann.token, {{"role", "viewer"}}).status, 200);
  EXPECT_EQ(api.get("/api/v1/auth/me", t.ann.token).body["role"], "viewer");
  pqxx::connection c(db.url());
  pqxx::work tx(c);
  EXPECT_EQ(tx.exec1("SELECT count(*) FROM audit_log WHERE action = 'member.role_change'")[0].as<int>(), 2);
}

TEST(Members, ViewersGet403OnEveryWriteThatNeedsMore) {
  TestDatabase db;
  auto server = start_server(db.url());
  ApiClient api(server.port);
  const Team t = make_team(api, db, "viewer");
  const std::vector<std::pair<std::string, std::string>> writes{
      {"PATCH", "/api/v1/accounts/current"},
      {"POST", "/api/v1/accounts/current/members"},
      {"PATCH", "/api/v1/accounts/current/members/" + t.ann.user_id},
      {"DELETE", "/api/v1/accounts/current/members/" + t.ann.user_id},
      {"DELETE", "/api/v1/accounts/current/invitations/inv_0000000000000000000000"},
      {"GET", "/api/v1/api-keys"},
      {"GET", "/api/v1/audit-log"},
      {"POST", "/api/v1/api-keys"},
      {"DELETE", "/api/v1/api-keys/key_0000000000000000000000"},
  };
  for (const auto& [method, path] : writes) {
    const auto r = api.send(method, path, t.bob.token, {{"name", "x"}, {"role", "viewer"}, {"email", "z@example.com"}});
    EXPECT_EQ(r.status, 403) << method << " " << path << " " << r.body;
  }
  // Self-service stays open to viewers: leaving the account.
  EXPECT_EQ(api.send("DELETE", "/api/v1/accounts/current/members/" + t.bob.user_id, t.bob.token).status, 204);
}

TEST(Accounts, CreateAnotherAndUpdateSettings) {
  TestDatabase db;
  auto server = start_server(db.url());
  ApiClient api(server.port);
  const Person ann = signup(api, "ann@example.com");
  const auto created = api.post(
      "/api/v1/accounts", {{"name", "Client B"}, {"timezone", "America/New_York"}, {"currency", "USD"}}, ann.token);
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(created.body["role"], "owner");
  EXPECT_EQ(api.get("/api/v1/auth/me", ann.token).body["accounts"].size(), 2u);

  EXPECT_EQ(api.send("PATCH", "/api/v1/accounts/current", ann.token, {{"timezone", "Mars/Base"}}).status, 422);
  EXPECT_EQ(api.send("PATCH", "/api/v1/accounts/current", ann.token, {{"currency", "EURO"}}).status, 400);
  const auto blank = api.send("PATCH", "/api/v1/accounts/current", ann.token, {{"name", " \t "}});
  EXPECT_EQ(blank.status, 400);
  EXPECT_EQ(blank.body["error"]["message"], "Field 'name' must not be blank.");
  const auto padded = api.send("PATCH", "/api/v1/accounts/current", ann.token, {{"name", "  Client B Ltd  "}});
  EXPECT_EQ(padded.body["name"], "Client B Ltd") << "spaces around a name are not part of it";
  EXPECT_EQ(api.send("PATCH", "/api/v1/accounts/current", ann.token, {{"plan", "enterprise"}}).status, 400)
      << "the plan is Stripe's business, not a settings field";
  const auto updated =
      api.send("PATCH", "/api/v1/accounts/current", ann.token, {{"timezone", "Asia/Tokyo"}, {"currency", "JPY"}});
  ASSERT_EQ(updated.status, 200) << updated.body;
  EXPECT_EQ(updated.body["timezone"], "Asia/Tokyo");
  EXPECT_EQ(updated.body["currency"], "JPY");
  EXPECT_EQ(updated.body["name"], "Client B Ltd");
}

TEST(AuditLog, AdminsPageThroughTheirAccountsTrailOnly) {
  TestDatabase db;
  auto server = start_server(db.url());
  ApiClient api(server.port);
  const Person ann = signup(api, "ann@example.com");
  const Person eve = signup(api, "eve@example.com");
  for (int i = 0; i < 3; ++i) {
    ASSERT_EQ(
        api.post("/api/v1/auth/login", {{"email", "ann@example.com"}, {"password", "a-Decent-passphrase"}}).status,
        200);
  }
  ASSERT_EQ(api.post("/api/v1/api-keys", {{"name", "n8n"}, {"role", "ingest"}}, ann.token).status, 201);
  api.post("/api/v1/auth/login", {{"email", "ann@example.com"}, {"password", "wrong-password-0"}});

  std::vector<nlohmann::json> all;
  std::string cursor;
  int pages = 0;
  do {
    const auto page = api.get("/api/v1/audit-log?limit=2" + (cursor.empty() ? "" : "&cursor=" + cursor), ann.token);
    ASSERT_EQ(page.status, 200) << page.body;
    ASSERT_LE(page.body["data"].size(), 2u);
    for (const auto& e : page.body["data"]) all.push_back(e);
    cursor = page.body["next_cursor"].is_null() ? "" : page.body["next_cursor"].get<std::string>();
    ++pages;
  } while (!cursor.empty() && pages < 10);
  // signup, 3 logins, key creation, failed login: 6 entries, newest first, no duplicates.
  ASSERT_EQ(all.size(), 6u);
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(all.front()["action"], "auth.login_failed");
  EXPECT_EQ(all.back()["action"], "auth.signup");
  EXPECT_EQ(all[1]["action"], "api_key.create");
  EXPECT_EQ(all[1]["actor"]["email"], "ann@example.com");
  EXPECT_EQ(all[1]["ip"], "127.0.0.1");
  EXPECT_FALSE(all[1].contains("id")) << "no database ids";
  for (std::size_t i = 1; i < all.size(); ++i) EXPECT_GE(all[i - 1]["created_at"], all[i]["created_at"]);

  const auto logins = api.get("/api/v1/audit-log?action=auth.login", ann.token);
  EXPECT_EQ(logins.body["data"].size(), 3u);
  EXPECT_EQ(api.get("/api/v1/audit-log?limit=0", ann.token).status, 400);
  EXPECT_EQ(api.get("/api/v1/audit-log?limit=500", ann.token).status, 400);
  EXPECT_EQ(api.get("/api/v1/audit-log?limit=%2B5", ann.token).status, 400) << "digits only";
  EXPECT_EQ(api.get("/api/v1/audit-log?limit=%205", ann.token).status, 400);

  // Eve sees only her own signup, and Ann's cursor means nothing in Eve's account.
  const auto first = api.get("/api/v1/audit-log?limit=1", ann.token);
  const auto eves = api.get("/api/v1/audit-log", eve.token);
  ASSERT_EQ(eves.body["data"].size(), 1u);
  EXPECT_EQ(eves.body["data"][0]["actor"]["email"], "eve@example.com");
  EXPECT_EQ(api.get("/api/v1/audit-log?cursor=" + first.body["next_cursor"].get<std::string>(), eve.token).status, 400);
  EXPECT_EQ(api.get("/api/v1/audit-log?cursor=garbage", ann.token).status, 400);
}

// Every route with an object id in its path: another tenant's id is "not found", never
// "forbidden" and never acted upon.
TEST(TenantBoundary, AnotherAccountsObjectsAreNotFoundOnEveryIdRoute) {
  TestDatabase db;
  auto server = start_server(db.url());
  ApiClient api(server.port);
  const Team t = make_team(api, db, "analyst");
  const Person eve = signup(api, "eve@example.com");  // owner of her own account
  const auto key = api.post("/api/v1/api-keys", {{"name", "k"}, {"role", "read"}}, t.ann.token);
  const auto invitation =
      api.post("/api/v1/accounts/current/members", {{"email", "zed@example.com"}, {"role", "viewer"}}, t.ann.token);
  const auto store = api.post("/api/v1/integrations/woocommerce/connect",
                              {{"store_url", "https://shop.example.com"},
                               {"consumer_key", "ck_" + std::string(40, 'a')},
                               {"consumer_secret", "cs_" + std::string(40, 'b')}},
                              t.ann.token);
  ASSERT_EQ(key.status, 201);
  ASSERT_EQ(invitation.status, 201);
  ASSERT_EQ(store.status, 201) << store.body;
  const std::string integration = "/api/v1/integrations/" + store.body["data"]["id"].get<std::string>();

  struct Case {
    std::string method, pattern, path;
    nlohmann::json body;
  };
  const std::vector<Case> cases{
      {"DELETE", "/api/v1/api-keys/{id}", "/api/v1/api-keys/" + key.body["id"].get<std::string>(), {}},
      {"DELETE",
       "/api/v1/accounts/current/invitations/{id}",
       "/api/v1/accounts/current/invitations/" + invitation.body["id"].get<std::string>(),
       {}},
      {"PATCH",
       "/api/v1/accounts/current/members/{user_id}",
       "/api/v1/accounts/current/members/" + t.bob.user_id,
       {{"role", "viewer"}}},
      {"DELETE", "/api/v1/accounts/current/members/{user_id}", "/api/v1/accounts/current/members/" + t.bob.user_id, {}},
      {"GET", "/api/v1/integrations/{id}", integration, {}},
      {"PATCH", "/api/v1/integrations/{id}", integration, {{"sync_frequency_minutes", 15}}},
      {"DELETE", "/api/v1/integrations/{id}", integration, {}},
      {"GET", "/api/v1/integrations/{id}/runs", integration + "/runs", {}},
      {"GET", "/api/v1/integrations/{id}/ad-accounts", integration + "/ad-accounts", {}},
      {"POST", "/api/v1/integrations/{id}/sync", integration + "/sync", {}},
  };
  for (const auto& c : cases) {
    const auto r = api.send(c.method, c.path, eve.token, c.body.is_null() ? nlohmann::json::object() : c.body);
    EXPECT_EQ(r.status, 404) << c.method << " " << c.path << " " << r.body;
  }
  // Nothing happened to Ann's account.
  const auto people = api.get("/api/v1/accounts/current/members", t.ann.token);
  EXPECT_EQ(people.body["data"].size(), 2u);
  EXPECT_EQ(people.body["invitations"].size(), 1u);
  EXPECT_EQ(api.get("/api/v1/api-keys", t.ann.token).body["data"].size(), 1u);
  EXPECT_TRUE(api.get("/api/v1/api-keys", eve.token).body["data"].empty()) << "lists never show another tenant's rows";
  EXPECT_EQ(api.get("/api/v1/accounts/current/members", eve.token).body["data"].size(), 1u);
  const auto still = api.get(integration, t.ann.token);
  EXPECT_EQ(still.body["data"]["status"], "connected");
  EXPECT_EQ(still.body["data"]["sync_frequency_minutes"], 60);

  // Coverage: every authenticated route with a path parameter must be in the table above.
  for (const auto& route : api_routes()) {
    if (route.access != http::Access::authenticated || route.pattern.find('{') == std::string::npos) continue;
    // A provider name (facebook_ads, shopify...) is not an object of any account.
    if (route.pattern.find("{provider}") != std::string::npos) continue;
    const std::string method(http::method_name(route.method));
    const bool covered = std::any_of(cases.begin(), cases.end(),
                                     [&](const Case& c) { return c.method == method && c.pattern == route.pattern; });
    EXPECT_TRUE(covered) << method << " " << route.pattern << " takes an object id: add it to this table";
  }
}

}  // namespace
}  // namespace otq::testing
