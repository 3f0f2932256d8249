// POST /api/v1/auth/signup against the real binary and PostgreSQL.
#include <gtest/gtest.h>
#include <pqxx/pqxx>

#include "tests/support/api_client.hpp"
#include "tests/support/pg.hpp"
#include "tests/support/process.hpp"

namespace otq::testing {
namespace {

const nlohmann::json kSignup{{"email", "Ann@Example.com"},
                             {"password", "a-Decent-passphrase"},
                             {"account_name", "Ann's Shop"},
                             {"timezone", "Europe/Berlin"},
                             {"currency", "EUR"}};

TEST(Signup, CreatesUserAccountOwnerMembershipAndSession) {
  TestDatabase db;
  auto server = start_server(db.url());
  ApiClient api(server.port);
  const auto r = api.post("/api/v1/auth/signup", kSignup);
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.body["token_type"], "bearer");
  EXPECT_EQ(r.body["expires_in"], 86400);
  EXPECT_TRUE(r.body["user"]["id"].get<std::string>().starts_with("usr_"));
  EXPECT_EQ(r.body["user"]["email"], "Ann@Example.com");
  EXPECT_TRUE(r.body["account"]["id"].get<std::string>().starts_with("acct_"));
  EXPECT_EQ(r.body["account"]["timezone"], "Europe/Berlin");
  EXPECT_EQ(r.body["account"]["currency"], "EUR");
  EXPECT_EQ(r.body["account"]["role"], "owner");
  const std::string cookie = r.header("Set-Cookie");
  EXPECT_TRUE(cookie.starts_with("otq_session=" + r.body["access_token"].get<std::string>() + ";")) << cookie;
  for (const char* flag : {"HttpOnly", "SameSite=Lax", "Secure", "Path=/", "Max-Age=86400"}) {
    EXPECT_NE(cookie.find(flag), std::string::npos) << flag;
  }

  pqxx::connection c(db.url());
  pqxx::work tx(c);
  const auto row = tx.exec1(
      "SELECT u.password_hash, m.role, a.name FROM users u JOIN memberships m ON m.user_id = u.id "
      "JOIN accounts a ON a.id = m.account_id");
  EXPECT_TRUE(row[0].as<std::string>().starts_with("$2b$12$")) << "bcrypt, cost 12 by default";
  EXPECT_EQ(row[1].as<std::string>(), "owner");
  EXPECT_EQ(row[2].as<std::string>(), "Ann's Shop");
  EXPECT_EQ(tx.exec1("SELECT count(*) FROM audit_log WHERE action = 'auth.signup'")[0].as<int>(), 1);
  // Defaults apply when timezone and currency are omitted.
  auto second = api.post("/api/v1/auth/signup",
                         {{"email", "bob@example.com"}, {"password", "another-Good-one"}, {"account_name", "Bob"}});
  ASSERT_EQ(second.status, 201) << second.body;
  EXPECT_EQ(second.body["account"]["timezone"], "UTC");
  EXPECT_EQ(second.body["account"]["currency"], "USD");
}

TEST(Signup, RejectsBadInputWithActionableErrorsAndWritesNothing) {
  TestDatabase db;
  auto server = start_server(db.url());
  ApiClient api(server.port);
  auto with = [&](const std::string& key, const nlohmann::json& value) {
    auto body = kSignup;
    body[key] = value;
    return api.post("/api/v1/auth/signup", body);
  };
  EXPECT_EQ(with("password", "short").status, 422);
  EXPECT_EQ(with("password", "1234567890").status, 422) << "common password";
  EXPECT_EQ(with("password", "ann@example.com").status, 422) << "password equals the email";
  EXPECT_EQ(with("password", std::string(129, 'x')).status, 422);
  EXPECT_EQ(with("timezone", "Mars/Olympus").status, 422);
  EXPECT_EQ(with("currency", "XYZ").status, 400);
  EXPECT_EQ(with("email", "not-an-email").status, 400);
  EXPECT_EQ(with("role", "owner").status, 400) << "unknown fields are rejected";
  EXPECT_EQ(with("account_name", 42).status, 400);
  auto missing = kSignup;
  missing.erase("account_name");
  const auto r = api.post("/api/v1/auth/signup", missing);
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body["error"]["message"].get<std::string>().find("account_name"), std::string::npos);

  pqxx::connection c(db.url());
  pqxx::work tx(c);
  EXPECT_EQ(tx.exec1("SELECT count(*) FROM users")[0].as<int>(), 0);
  EXPECT_EQ(tx.exec1("SELECT count(*) FROM accounts")[0].as<int>(), 0);
}

TEST(Signup, TakenEmailIsAConflictWhateverItsCase) {
  TestDatabase db;
  auto server = start_server(db.url());
  ApiClient api(server.port);
  ASSERT_EQ(api.post("/api/v1/auth/signup", kSignup).status, 201);
  auto again = kSignup;
  again["email"] = "ann@EXAMPLE.com";
  again["account_name"] = "Other";
  const auto r = api.post("/api/v1/auth/signup", again);
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(r.error_code(), "conflict");
  pqxx::connection c(db.url());
  pqxx::work tx(c);
  EXPECT_EQ(tx.exec1("SELECT count(*) FROM accounts")[0].as<int>(), 1) << "no orphan account from the failed signup";
}

}  // namespace
}  // namespace otq::testing
