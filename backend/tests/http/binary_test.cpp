// The real omnitrackiq binary: logs, signals, exit codes, and concurrent migrations.
#include <csignal>
#include <future>

#include <gtest/gtest.h>
#include <httplib.h>
#include <pqxx/pqxx>

#include "app/migrate.hpp"
#include "tests/support/env.hpp"
#include "tests/support/pg.hpp"
#include "tests/support/process.hpp"

namespace otq::testing {
namespace {

TEST(Binary, LogsOneJsonLinePerRequestWithItsRequestIdAndNoSecrets) {
  TestDatabase db;
  auto server = start_server(db.url());
  httplib::Client c("127.0.0.1", server.port);
  auto r = c.Get("/api/v1/health", {{"X-Request-Id", "binary-test-1"}, {"Authorization", "Bearer sk_live_secret"}});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->get_header_value("X-Request-Id"), "binary-test-1");
  const auto line = server.process->wait_for_line(
      [](const std::string& l) { return l.find("\"request_id\":\"binary-test-1\"") != std::string::npos; });
  ASSERT_TRUE(line);
  const auto j = nlohmann::json::parse(*line);
  EXPECT_EQ(j["event"], "http_request");
  EXPECT_EQ(j["method"], "GET");
  EXPECT_EQ(j["route"], "/api/v1/health");
  EXPECT_EQ(j["status"], 200);
  EXPECT_TRUE(j.contains("duration_ms"));
  EXPECT_TRUE(j.contains("ts"));
  server.process->signal(SIGTERM);
  EXPECT_EQ(server.process->wait_exit(), 0) << server.process->output();
  for (const auto& l : server.process->lines()) {
    EXPECT_EQ(l.find("sk_live_secret"), std::string::npos) << l;
    EXPECT_EQ(l.find("test-secret-test-secret"), std::string::npos) << l;
    EXPECT_FALSE(nlohmann::json::parse(l, nullptr, false).is_discarded()) << "not a JSON line: " << l;
  }
}

TEST(Binary, SigtermStopsGracefully) {
  TestDatabase db;
  auto server = start_server(db.url());
  httplib::Client c("127.0.0.1", server.port);
  EXPECT_EQ(c.Get("/api/v1/ready")->status, 200);
  server.process->signal(SIGTERM);
  EXPECT_EQ(server.process->wait_exit(), 0) << server.process->output();
  EXPECT_TRUE(server.process->wait_for_event("shutdown_complete", std::chrono::milliseconds(0)));
}

TEST(Binary, ConfigurationErrorsNameTheVariableAndExit78) {
  auto [code, out] = run_binary({"serve"}, {{"DATABASE_URL", "postgresql:///x"}, {"JWT_SECRET", "too-short"}});
  EXPECT_EQ(code, 78);
  EXPECT_NE(out.find("JWT_SECRET"), std::string::npos) << out;
  EXPECT_EQ(out.find("too-short"), std::string::npos) << "the secret is never printed";

  std::tie(code, out) = run_binary(
      {"serve"},
      {{"DATABASE_URL", "postgresql:///x"}, {"JWT_SECRET", std::string(40, 'k')}, {"WORKER_THREADS", "lots"}});
  EXPECT_EQ(code, 78);
  EXPECT_NE(out.find("WORKER_THREADS"), std::string::npos) << out;

  std::tie(code, out) = run_binary({"migrate"}, {{"DATABASE_URL", ""}});
  EXPECT_EQ(code, 78);
  EXPECT_NE(out.find("DATABASE_URL"), std::string::npos) << out;
}

TEST(Binary, DevModeAcceptsAShortSecret) {
  TestDatabase db;
  ChildProcess p(binary_path(), {"serve", "--dev", "--port", "0"},
                 {{"DATABASE_URL", db.url()}, {"JWT_SECRET", ""}, {"STATIC_DIR", "/nonexistent"}});
  EXPECT_TRUE(p.wait_for_event("listening"));
  p.signal(SIGINT);
  EXPECT_EQ(p.wait_exit(), 0) << p.output();
}

TEST(Binary, WorkerNeedsItsConfigurationAndUnknownCommandsFail) {
  auto [code, out] = run_binary({"worker"}, {{"DATABASE_URL", "postgresql:///x"}, {"TOKEN_ENCRYPTION_KEY", ""}});
  EXPECT_EQ(code, 78);
  EXPECT_NE(out.find("TOKEN_ENCRYPTION_KEY"), std::string::npos) << out;
  EXPECT_NE(run_binary({"frobnicate"}, {}).first, 0);
}

TEST(Binary, SeedDemoRefusesBadOptionsAndSkipsANonEmptyDatabaseWhenAsked) {
  TestDatabase db;
  const std::map<std::string, std::string> env{{"DATABASE_URL", db.url()}, {"LOG_LEVEL", "warn"}};
  EXPECT_NE(run_binary({"seed-demo", "--days", "3"}, env).first, 0);
  EXPECT_NE(run_binary({"seed-demo", "--end-date", "2026-02-30"}, env).first, 0);
  const auto first = run_binary({"seed-demo", "--orders", "200", "--days", "30", "--if-empty"}, env);
  ASSERT_EQ(first.first, 0) << first.second;
  EXPECT_NE(first.second.find("password: "), std::string::npos) << "a generated password is printed once";
  const auto again = run_binary({"seed-demo", "--orders", "200", "--days", "30", "--if-empty"}, env);
  EXPECT_EQ(again.first, 0);
  EXPECT_NE(again.second.find("nothing to do"), std::string::npos) << again.second;
  const auto duplicate = run_binary({"seed-demo", "--orders", "200", "--days", "30"}, env);
  EXPECT_EQ(duplicate.first, 1) << "the demo login exists already";
  EXPECT_NE(duplicate.second.find("already exists"), std::string::npos) << duplicate.second;
  const auto rebuilt = run_binary({"rollups", "rebuild"}, env);
  EXPECT_EQ(rebuilt.first, 0) << rebuilt.second;
  EXPECT_NE(rebuilt.second.find("rebuilt 1 account"), std::string::npos) << rebuilt.second;
  EXPECT_EQ(run_binary({"rollups", "rebuild", "--account", "acct_nope"}, env).first, 1);
}

TEST(Binary, TwoConcurrentMigrateProcessesBothSucceedAndApplyOnce) {
  TestDatabase db(TestDatabase::Schema::empty);
  std::map<std::string, std::string> env{{"DATABASE_URL", db.url()}};
  ChildProcess a(binary_path(), {"migrate"}, env);
  ChildProcess b(binary_path(), {"migrate"}, env);
  EXPECT_EQ(a.wait_exit(std::chrono::seconds(60)), 0);
  EXPECT_EQ(b.wait_exit(std::chrono::seconds(60)), 0);
  pqxx::connection conn(db.url());
  pqxx::work tx(conn);
  EXPECT_EQ(tx.exec1("SELECT count(*) FROM schema_migrations")[0].as<std::size_t>(), migrate::embedded().size());
  // Exactly one of the two applied the files; the other found them applied.
  std::size_t applied_now = 0;
  for (ChildProcess* p : {&a, &b}) {
    auto done = p->wait_for_event("migrate_complete", std::chrono::milliseconds(0));
    ASSERT_TRUE(done);
    applied_now += (*done)["applied_now"].size();
  }
  EXPECT_EQ(applied_now, migrate::embedded().size());
}

TEST(Binary, MigrateFailsClearlyWhenTheDatabaseIsUnreachable) {
  auto [code, out] = run_binary({"migrate"}, {{"DATABASE_URL", "postgresql:///x?host=/nonexistent&connect_timeout=2"}});
  EXPECT_EQ(code, 1);
  EXPECT_NE(out.find("migrate_failed"), std::string::npos) << out;
}

TEST(Binary, EnvExampleCommandPrintsTheCommittedFile) {
  auto [code, out] = run_binary({"config", "--env-example"}, {});
  EXPECT_EQ(code, 0);
  EXPECT_NE(out.find("JWT_SECRET="), std::string::npos);
}

}  // namespace
}  // namespace otq::testing
