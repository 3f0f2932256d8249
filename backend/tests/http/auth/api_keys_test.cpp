// /api/v1/api-keys: shown once, stored hashed, usable as a bearer token, scoped, revocable.
#include <gtest/gtest.h>
#include <pqxx/pqxx>

#include "app/security/digest.hpp"
#include "tests/support/api_client.hpp"
#include "tests/support/outbox.hpp"
#include "tests/support/pg.hpp"
#include "tests/support/process.hpp"

namespace otq::testing {
namespace {

TEST(ApiKeys, CreatedKeyIsShownOnceStoredHashedAndAuthenticates) {
  TestDatabase db;
  auto server = start_server(db.url());
  ApiClient api(server.port);
  const std::string owner = signup(api, "ann@example.com").token;
  const auto created = api.post("/api/v1/api-keys", {{"name", "n8n"}, {"role", "read"}}, owner);
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string key = created.body["key"];
  EXPECT_TRUE(key.starts_with("otq_live_"));
  EXPECT_EQ(key.size(), 9u + 32u);
  EXPECT_TRUE(created.body["id"].get<std::string>().starts_with("key_"));
  EXPECT_TRUE(key.starts_with(created.body["prefix"].get<std::string>()));

  const auto listed = api.get("/api/v1/api-keys", owner);
  ASSERT_EQ(listed.status, 200);
  ASSERT_EQ(listed.body["data"].size(), 1u);
  EXPECT_FALSE(listed.body["data"][0].contains("key")) << "the secret is never listed";
  EXPECT_TRUE(listed.body["data"][0]["last_used_at"].is_null());

  {
    pqxx::connection c(db.url());
    pqxx::work tx(c);
    EXPECT_EQ(tx.exec1("SELECT encode(key_hash, 'hex') FROM api_keys")[0].as<std::string>(), security::sha256_hex(key));
    EXPECT_EQ(tx.exec1("SELECT count(*) FROM audit_log WHERE action = 'api_key.create'")[0].as<int>(), 1);
  }

  const auto as_key = api.get("/api/v1/accounts/current", key);
  ASSERT_EQ(as_key.status, 200) << as_key.body;
  EXPECT_EQ(as_key.body["role"], "viewer") << "a read key has viewer rights";
  EXPECT_FALSE(api.get("/api/v1/api-keys", owner).body["data"][0]["last_used_at"].is_null());

  // Keys are for machines: no sessions, no key management, no password changes.
  EXPECT_EQ(api.get("/api/v1/auth/me", key).status, 403);
  EXPECT_EQ(api.post("/api/v1/api-keys", {{"name", "x"}, {"role", "read"}}, key).status, 403);

  const auto revoked = api.raw().Delete("/api/v1/api-keys/" + created.body["id"].get<std::string>(),
                                        httplib::Headers{{"Authorization", "Bearer " + owner}});
  ASSERT_TRUE(revoked);
  EXPECT_EQ(revoked->status, 204);
  EXPECT_EQ(api.get("/api/v1/accounts/current", key).status, 401) << "a revoked key stops working at once";
  EXPECT_TRUE(api.get("/api/v1/api-keys", owner).body["data"].empty());
}

TEST(ApiKeys, IngestKeysCannotReadAndKeysNeverCrossAccounts) {
  TestDatabase db;
  auto server = start_server(db.url());
  ApiClient api(server.port);
  const std::string ann = signup(api, "ann@example.com").token;
  const std::string bob = signup(api, "bob@example.com").token;
  const auto ingest = api.post("/api/v1/api-keys", {{"name", "sync"}, {"role", "ingest"}}, ann);
  ASSERT_EQ(ingest.status, 201);
  EXPECT_EQ(api.get("/api/v1/accounts/current", ingest.body["key"]).status, 403);

  const auto ann_key = api.post("/api/v1/api-keys", {{"name", "read"}, {"role", "read"}}, ann);
  const auto as_ann_key = api.get("/api/v1/accounts/current", ann_key.body["key"]);
  const auto bob_account = api.get("/api/v1/accounts/current", bob);
  EXPECT_NE(as_ann_key.body["id"], bob_account.body["id"]);
  // Bob cannot see or revoke Ann's keys: another tenant's key is simply not found.
  EXPECT_TRUE(api.get("/api/v1/api-keys", bob).body["data"].empty());
  const auto cross = api.raw().Delete("/api/v1/api-keys/" + ann_key.body["id"].get<std::string>(),
                                      httplib::Headers{{"Authorization", "Bearer " + bob}});
  EXPECT_EQ(cross->status, 404);
  EXPECT_EQ(api.get("/api/v1/accounts/current", ann_key.body["key"]).status, 200) << "still valid";
}

TEST(ApiKeys, OnlyAdminsManageKeysAndInputIsValidated) {
  TestDatabase db;
  auto server = start_server(db.url());
  ApiClient api(server.port);
  const std::string ann = signup(api, "ann@example.com").token;
  EXPECT_EQ(api.post("/api/v1/api-keys", {{"name", "x"}, {"role", "admin"}}, ann).status, 400);
  EXPECT_EQ(api.post("/api/v1/api-keys", {{"name", ""}, {"role", "read"}}, ann).status, 400);
  EXPECT_EQ(api.post("/api/v1/api-keys", {{"name", "x"}, {"role", "read"}, {"account_id", "acct_x"}}, ann).status, 400);
  EXPECT_EQ(api.get("/api/v1/accounts/current", "otq_live_" + std::string(32, 'A')).status, 401);
  {
    pqxx::connection c(db.url());
    pqxx::work tx(c);
    tx.exec0("UPDATE memberships SET role = 'analyst'");
    tx.commit();
  }
  EXPECT_EQ(api.post("/api/v1/api-keys", {{"name", "x"}, {"role", "read"}}, ann).status, 403);
  EXPECT_EQ(api.get("/api/v1/api-keys", ann).status, 403);
}

TEST(Password, ChangeEndsOtherSessionsAndKeepsTheNewOne) {
  TestDatabase db;
  auto server = start_server(db.url(), {{"BCRYPT_COST", "10"}});
  ApiClient api(server.port);
  const std::string first = signup(api, "ann@example.com").token;
  const auto second =
      api.post("/api/v1/auth/login", {{"email", "ann@example.com"}, {"password", "a-Decent-passphrase"}});
  ASSERT_EQ(second.status, 200);
  EXPECT_EQ(api.post("/api/v1/auth/password",
                     {{"current_password", "wrong-password-1"}, {"new_password", "Another-fine-pass"}}, first)
                .status,
            422);
  EXPECT_EQ(api.post("/api/v1/auth/password",
                     {{"current_password", "a-Decent-passphrase"}, {"new_password", "1234567890"}}, first)
                .status,
            422);
  const auto changed =
      api.post("/api/v1/auth/password",
               {{"current_password", "a-Decent-passphrase"}, {"new_password", "Another-fine-pass"}}, first);
  ASSERT_EQ(changed.status, 200) << changed.body;
  EXPECT_EQ(api.get("/api/v1/auth/me", changed.body["access_token"]).status, 200);
  EXPECT_EQ(api.get("/api/v1/auth/me", first).status, 401);
  EXPECT_EQ(api.get("/api/v1/auth/me", second.body["access_token"]).status, 401);
  EXPECT_EQ(api.post("/api/v1/auth/login", {{"email", "ann@example.com"}, {"password", "a-Decent-passphrase"}}).status,
            401);
  const auto fresh = api.post("/api/v1/auth/login", {{"email", "ann@example.com"}, {"password", "Another-fine-pass"}});
  ASSERT_EQ(fresh.status, 200);
  EXPECT_EQ(api.get("/api/v1/auth/me", fresh.body["access_token"]).status, 200)
      << "a login right after the change works";
}

}  // namespace
}  // namespace otq::testing

namespace otq::testing {
namespace {

TEST(PasswordReset, MailsASingleUseLinkThatSetsANewPasswordAndEndsSessions) {
  TestDatabase db;
  auto server = start_server(db.url(), {{"BCRYPT_COST", "10"}, {"PUBLIC_URL", "https://app.example.com"}});
  ApiClient api(server.port);
  const std::string old_session = signup(api, "ann@example.com").token;

  const auto unknown = api.post("/api/v1/auth/password-reset", {{"email", "nobody@example.com"}});
  const auto known = api.post("/api/v1/auth/password-reset", {{"email", "ANN@example.com"}});
  EXPECT_EQ(unknown.status, 202);
  EXPECT_EQ(known.status, 202);
  EXPECT_EQ(unknown.body, known.body) << "no user enumeration";
  EXPECT_EQ(mailed_token(db, "nobody@example.com", "/reset-password"), "");
  const std::string token = mailed_token(db, "ann@example.com", "https://app.example.com/reset-password");
  ASSERT_EQ(token.size(), 43u);

  EXPECT_EQ(api.post("/api/v1/auth/password-reset/confirm", {{"token", token}, {"new_password", "1234567890"}}).status,
            422)
      << "the policy applies, and the token survives a rejected password";
  // Another token: the first character changed (a token starting with "x" once made this the real one).
  const std::string tampered = (token[0] == 'x' ? "y" : "x") + token.substr(1);
  EXPECT_EQ(
      api.post("/api/v1/auth/password-reset/confirm", {{"token", tampered}, {"new_password", "Brand-new-secret-9"}})
          .status,
      422);
  const auto confirmed =
      api.post("/api/v1/auth/password-reset/confirm", {{"token", token}, {"new_password", "Brand-new-secret-9"}});
  EXPECT_EQ(confirmed.status, 204);
  EXPECT_EQ(api.post("/api/v1/auth/password-reset/confirm", {{"token", token}, {"new_password", "Other-new-secret-9"}})
                .status,
            422)
      << "single use";
  EXPECT_EQ(api.get("/api/v1/auth/me", old_session).status, 401) << "earlier sessions end";
  EXPECT_EQ(api.post("/api/v1/auth/login", {{"email", "ann@example.com"}, {"password", "Brand-new-secret-9"}}).status,
            200);
  pqxx::connection c(db.url());
  pqxx::work tx(c);
  EXPECT_EQ(tx.exec_params1(
                  "SELECT count(*) FROM password_resets WHERE token_hash = sha256($1::bytea) AND used_at IS NOT NULL",
                  token)[0]
                .as<int>(),
            1);
}

TEST(PasswordReset, RequestsAreThrottledPerEmail) {
  TestDatabase db;
  auto server = start_server(db.url());
  ApiClient api(server.port);
  for (int i = 0; i < 5; ++i)
    EXPECT_EQ(api.post("/api/v1/auth/password-reset", {{"email", "ann@example.com"}}).status, 202);
  const auto sixth = api.post("/api/v1/auth/password-reset", {{"email", "ann@example.com"}});
  EXPECT_EQ(sixth.status, 429);
  EXPECT_FALSE(sixth.header("Retry-After").empty());
}

}  // namespace
}  // namespace otq::testing

namespace otq::testing {
namespace {

TEST(MetricsDefinitions, ServedToUsersAndReadKeys) {
  TestDatabase db;
  auto server = start_server(db.url());
  ApiClient api(server.port);
  const Person ann = signup(api, "ann@example.com");
  const auto key = api.post("/api/v1/api-keys", {{"name", "bi"}, {"role", "read"}}, ann.token);
  for (const std::string& credential : {ann.token, key.body["key"].get<std::string>()}) {
    const auto r = api.get("/api/v1/metrics/definitions", credential);
    ASSERT_EQ(r.status, 200) << r.body;
    ASSERT_EQ(r.body["data"].size(), 19u);
    const auto& mer =
        *std::find_if(r.body["data"].begin(), r.body["data"].end(), [](const auto& d) { return d["name"] == "mer"; });
    EXPECT_EQ(mer["formula"], "net_revenue / spend");
    EXPECT_EQ(mer["unit"], "ratio");
    EXPECT_EQ(mer["higher_is_better"], true);
    EXPECT_EQ(mer["zero_denominator"], "null");
  }
}

}  // namespace
}  // namespace otq::testing
