// POST /api/v1/auth/login: sessions, no user enumeration, brute-force throttling, no secrets in logs.
#include <gtest/gtest.h>
#include <pqxx/pqxx>

#include "tests/support/api_client.hpp"
#include "tests/support/pg.hpp"
#include "tests/support/process.hpp"

namespace otq::testing {
namespace {

const std::string& kPassword = kTestPassword;

TEST(Login, ReturnsATokenThatAuthenticatesAndSetsTheCookie) {
  TestDatabase db;
  auto server = start_server(db.url());
  ApiClient api(server.port);
  signup(api, "ann@example.com");
  const auto r = api.post("/api/v1/auth/login", {{"email", "ANN@example.com"}, {"password", kPassword}});
  ASSERT_EQ(r.status, 200) << r.body;
  const std::string token = r.body["access_token"];
  EXPECT_NE(r.header("Set-Cookie").find("HttpOnly"), std::string::npos);
  const auto me = api.get("/api/v1/auth/me", token);
  ASSERT_EQ(me.status, 200) << me.body;
  EXPECT_EQ(me.body["user"]["email"], "ann@example.com");
  EXPECT_EQ(me.body["role"], "owner");
  EXPECT_EQ(me.body["accounts"].size(), 1u);
  // The cookie works as well as the header.
  const auto by_cookie = api.get("/api/v1/auth/me", "", {{"Cookie", "theme=dark; otq_session=" + token}});
  EXPECT_EQ(by_cookie.status, 200);

  pqxx::connection c(db.url());
  pqxx::work tx(c);
  EXPECT_EQ(tx.exec1("SELECT count(*) FROM audit_log WHERE action = 'auth.login' AND ip = '127.0.0.1'")[0].as<int>(),
            1);
}

TEST(Login, UnknownEmailAndWrongPasswordAreIndistinguishable) {
  TestDatabase db;
  auto server = start_server(db.url());
  ApiClient api(server.port);
  signup(api, "ann@example.com");
  const auto wrong = api.post("/api/v1/auth/login", {{"email", "ann@example.com"}, {"password", "not-the-password"}});
  const auto unknown =
      api.post("/api/v1/auth/login", {{"email", "nobody@example.com"}, {"password", "not-the-password"}});
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(unknown.status, 401);
  EXPECT_EQ(wrong.body["error"]["code"], unknown.body["error"]["code"]);
  EXPECT_EQ(wrong.body["error"]["message"], unknown.body["error"]["message"]);
  EXPECT_EQ(wrong.header("WWW-Authenticate"), "Bearer realm=\"omnitrackiq\"");
}

TEST(Login, EleventhFailureIsThrottledButTheOwnerCanStillLogInFromElsewhere) {
  TestDatabase db;
  auto server = start_server(db.url(), {{"TRUST_PROXY_HEADERS", "true"}, {"BCRYPT_COST", "10"}});
  ApiClient api(server.port);
  signup(api, "ann@example.com");
  const httplib::Headers attacker{{"X-Forwarded-For", "203.0.113.7"}};
  for (int i = 0; i < 10; ++i) {
    const auto r = api.post("/api/v1/auth/login",
                            {{"email", "ann@example.com"}, {"password", "guess-" + std::to_string(i)}}, "", attacker);
    ASSERT_EQ(r.status, 401) << "attempt " << i + 1;
  }
  const auto blocked =
      api.post("/api/v1/auth/login", {{"email", "ann@example.com"}, {"password", kPassword}}, "", attacker);
  EXPECT_EQ(blocked.status, 429) << "even the right password waits once the address is throttled";
  EXPECT_EQ(blocked.error_code(), "rate_limited");
  const int retry_after = std::stoi(blocked.header("Retry-After"));
  EXPECT_GT(retry_after, 0);
  EXPECT_LE(retry_after, 900);

  const auto owner = api.post("/api/v1/auth/login", {{"email", "ann@example.com"}, {"password", kPassword}}, "",
                              {{"X-Forwarded-For", "198.51.100.20"}});
  EXPECT_EQ(owner.status, 200) << owner.body;
}

TEST(Login, AnAddressOverItsAttemptCapIsToldSoNotThatItsLoginsFailed) {
  TestDatabase db;
  auto server = start_server(db.url(), {{"TRUST_PROXY_HEADERS", "true"}, {"BCRYPT_COST", "10"}});
  ApiClient api(server.port);
  signup(api, "ann@example.com");
  {
    // 300 successful logins from one office address within the window.
    pqxx::connection c(db.url());
    pqxx::work tx(c);
    tx.exec0(
        "INSERT INTO auth_attempts (kind, email_normalized, ip, succeeded) SELECT 'login', "
        "'user' || g || '@example.com', '203.0.113.50', true FROM generate_series(1, 300) g");
    tx.commit();
  }
  const auto capped = api.post("/api/v1/auth/login", {{"email", "ann@example.com"}, {"password", kPassword}}, "",
                               {{"X-Forwarded-For", "203.0.113.50"}});
  EXPECT_EQ(capped.status, 429);
  const std::string message = capped.body["error"]["message"];
  EXPECT_NE(message.find("network address"), std::string::npos) << message;
  EXPECT_EQ(message.find("failed"), std::string::npos) << "nothing failed: " << message;
  EXPECT_EQ(api.post("/api/v1/auth/login", {{"email", "ann@example.com"}, {"password", kPassword}}, "",
                     {{"X-Forwarded-For", "198.51.100.20"}})
                .status,
            200);
}

TEST(Login, NeitherPasswordsNorTokensReachTheLog) {
  TestDatabase db;
  auto server = start_server(db.url());
  ApiClient api(server.port);
  signup(api, "ann@example.com");
  const auto r = api.post("/api/v1/auth/login", {{"email", "ann@example.com"}, {"password", kPassword}});
  ASSERT_EQ(r.status, 200);
  const std::string token = r.body["access_token"];
  api.get("/api/v1/auth/me", token);
  api.post("/api/v1/auth/login", {{"email", "ann@example.com"}, {"password", "wrong-password-123"}});
  server.process->signal(SIGTERM);
  ASSERT_EQ(server.process->wait_exit(), 0);
  const std::string log = server.process->output();
  EXPECT_NE(log.find("/api/v1/auth/login"), std::string::npos) << "the log was captured";
  EXPECT_EQ(log.find(kPassword), std::string::npos);
  EXPECT_EQ(log.find("wrong-password-123"), std::string::npos);
  EXPECT_EQ(log.find(token.substr(token.rfind('.') + 1)), std::string::npos) << "token signature in the log";
  EXPECT_EQ(log.find("$2b$"), std::string::npos) << "password hash in the log";
}

}  // namespace
}  // namespace otq::testing
