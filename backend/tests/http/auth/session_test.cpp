// Tokens on every authenticated route: tampering, expiry, membership re-checked per request,
// roles from the database, switching accounts without revealing other tenants.
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <pqxx/pqxx>

#include "app/api/router.hpp"
#include "app/security/jwt.hpp"
#include "tests/support/api_client.hpp"
#include "tests/support/pg.hpp"
#include "tests/support/process.hpp"
#include "tests/support/routes.hpp"

namespace otq::testing {
namespace {

const std::string kSecret = "test-secret-test-secret-test-secret-0123";  // what start_server sets

std::string forge(const nlohmann::json& header, const nlohmann::json& payload, const std::string& secret,
                  const EVP_MD* md = EVP_sha256()) {
  const std::string input =
      security::base64url_encode(header.dump()) + "." + security::base64url_encode(payload.dump());
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(md, secret.data(), static_cast<int>(secret.size()), reinterpret_cast<const unsigned char*>(input.data()),
       input.size(), mac, &len);
  return input + "." + security::base64url_encode(std::string(reinterpret_cast<char*>(mac), len));
}

nlohmann::json payload_for(const Person& p) {
  const auto now =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  return {{"sub", p.user_id},     {"acc", p.account_id},      {"role", "owner"}, {"jti", "t"},
          {"iss", "omnitrackiq"}, {"aud", "omnitrackiq-api"}, {"iat", now},      {"exp", now + 3600}};
}

// Routes that need a session, read from the route table so every new one is covered.
std::vector<std::pair<std::string, std::string>> authenticated_routes() {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& r : api_routes()) {
    if (r.access == http::Access::authenticated) out.emplace_back(std::string(http::method_name(r.method)), r.pattern);
  }
  return out;
}

TEST(Session, EveryAuthenticatedRouteRefusesMissingAndForgedTokens) {
  TestDatabase db;
  auto server = start_server(db.url());
  ApiClient api(server.port);
  const Person ann = signup(api, "ann@example.com", "Ann");
  const auto good = payload_for(ann);
  auto edited = good;
  edited["role"] = "admin";
  auto expired = good;
  expired["exp"] = good["iat"].get<long>() - 1;
  auto wrong_aud = good;
  wrong_aud["aud"] = "another-api";
  const std::string real = ann.token;
  const std::string tampered_payload =
      real.substr(0, real.find('.') + 1) + security::base64url_encode(edited.dump()) + real.substr(real.rfind('.'));

  const std::vector<std::pair<std::string, std::string>> bad_tokens{
      {"none", ""},
      {"alg none", security::base64url_encode(R"({"alg":"none","typ":"JWT"})") + "." +
                       security::base64url_encode(good.dump()) + "."},
      {"HS512", forge({{"alg", "HS512"}, {"typ", "JWT"}}, good, kSecret, EVP_sha512())},
      {"payload edited", tampered_payload},
      {"expired", forge({{"alg", "HS256"}}, expired, kSecret)},
      {"other secret", forge({{"alg", "HS256"}}, good, "some-other-secret-some-other-secret-99")},
      {"wrong audience", forge({{"alg", "HS256"}}, wrong_aud, kSecret)},
  };
  const auto routes = authenticated_routes();
  ASSERT_FALSE(routes.empty());
  for (const auto& [method, pattern] : routes) {
    for (const auto& [what, token] : bad_tokens) {
      const auto r = api.send(method, pattern, token);
      EXPECT_EQ(r.status, 401) << method << " " << pattern << " with " << what;
      EXPECT_EQ(r.error_code(), "unauthenticated") << method << " " << pattern << " with " << what;
    }
  }
  // The hand-forged token with the right secret does work: the rejections above are not vacuous.
  EXPECT_EQ(api.get("/api/v1/auth/me", forge({{"alg", "HS256"}}, good, kSecret)).status, 200);
}

TEST(Session, MembershipAndRoleAreReadFromTheDatabaseOnEveryRequest) {
  TestDatabase db;
  auto server = start_server(db.url());
  ApiClient api(server.port);
  const Person ann = signup(api, "ann@example.com", "Ann");
  pqxx::connection c(db.url());
  {
    pqxx::work tx(c);
    tx.exec_params0(
        "UPDATE memberships SET role = 'viewer' WHERE account_id = (SELECT id FROM accounts WHERE public_id = $1)",
        ann.account_id);
    tx.commit();
  }
  EXPECT_EQ(api.get("/api/v1/auth/me", ann.token).body["role"], "viewer") << "the token still says owner";
  {
    pqxx::work tx(c);
    tx.exec0("DELETE FROM memberships");
    tx.commit();
  }
  EXPECT_EQ(api.get("/api/v1/auth/me", ann.token).status, 401) << "a removed member is out at once";
}

TEST(Session, SwitchAccountOnlyIntoTheUsersOwnAccounts) {
  TestDatabase db;
  auto server = start_server(db.url());
  ApiClient api(server.port);
  const Person ann = signup(api, "ann@example.com", "Ann");
  const Person bob = signup(api, "bob@example.com", "Bob");
  const Person cay = signup(api, "cay@example.com", "Cay");
  db.add_member(bob.account_id, ann.user_id, "analyst");  // Bob's account lets Ann in as an analyst
  const auto me = api.get("/api/v1/auth/me", ann.token);
  ASSERT_EQ(me.body["accounts"].size(), 2u);

  const auto switched = api.post("/api/v1/auth/switch-account", {{"account_id", bob.account_id}}, ann.token);
  ASSERT_EQ(switched.status, 200) << switched.body;
  EXPECT_EQ(switched.body["account"]["id"], bob.account_id);
  EXPECT_EQ(switched.body["account"]["role"], "analyst");
  const auto in_bob = api.get("/api/v1/auth/me", switched.body["access_token"]);
  EXPECT_EQ(in_bob.body["account"]["id"], bob.account_id);
  EXPECT_EQ(in_bob.body["role"], "analyst");

  // Cay's account exists, but Ann is not a member: 404, exactly like an id that does not exist.
  const auto other = api.post("/api/v1/auth/switch-account", {{"account_id", cay.account_id}}, ann.token);
  const auto missing =
      api.post("/api/v1/auth/switch-account", {{"account_id", "acct_0000000000000000000000"}}, ann.token);
  EXPECT_EQ(other.status, 404);
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(other.body["error"]["message"], missing.body["error"]["message"]);
}

TEST(Session, CookieSessionsRefuseNonJsonStateChangesAndLogoutClearsTheCookie) {
  TestDatabase db;
  auto server = start_server(db.url());
  ApiClient api(server.port);
  const Person ann = signup(api, "ann@example.com", "Ann");
  const auto form = api.raw().Post("/api/v1/auth/switch-account", {{"Cookie", "otq_session=" + ann.token}},
                                   "account_id=" + ann.account_id, "application/x-www-form-urlencoded");
  ASSERT_TRUE(form);
  EXPECT_EQ(form->status, 403) << "a cross-site form post must not act with the cookie";
  const auto logout = api.post("/api/v1/auth/logout", nlohmann::json::object());
  EXPECT_EQ(logout.status, 204);
  EXPECT_NE(logout.header("Set-Cookie").find("otq_session=;"), std::string::npos);
  EXPECT_NE(logout.header("Set-Cookie").find("Max-Age=0"), std::string::npos);
}

}  // namespace
}  // namespace otq::testing
