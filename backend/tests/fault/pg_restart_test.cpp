// PostgreSQL restarts under a running server: /ready goes 503 quickly, liveness keeps answering,
// and readiness comes back without restarting the server.
#include <csignal>
#include <filesystem>

#include <gtest/gtest.h>
#include <httplib.h>

#include "app/security/random.hpp"
#include "tests/support/env.hpp"
#include "tests/support/pg.hpp"
#include "tests/support/process.hpp"
#include "tests/support/prometheus.hpp"

namespace otq::testing {
namespace {

// A cluster of this test's own, so stopping it does not disturb tests running in parallel.
class OwnCluster {
 public:
  OwnCluster() : dir_(std::filesystem::temp_directory_path() / ("otq-fault-" + security::random_hex(6))) {
    script_ = repo_dir() + "/scripts/pg-cluster.sh";
    start();
    migrate_template();
  }
  ~OwnCluster() {
    try {
      run_command(script_ + " destroy '" + dir_.string() + "'");
    } catch (...) {
    }
  }
  void start() { run_command(script_ + " start '" + dir_.string() + "' --fast"); }
  void stop() { run_command(script_ + " stop '" + dir_.string() + "'"); }
  std::string url() const { return cluster_url(dir_.string(), "omnitrackiq"); }

 private:
  void migrate_template() {
    auto [code, out] = run_binary({"migrate"}, {{"DATABASE_URL", url()}});
    if (code != 0) throw std::runtime_error("migrate failed: " + out);
  }
  std::filesystem::path dir_;
  std::string script_;
};

TEST(PostgresRestart, ReadinessFollowsTheDatabaseWithoutAServerRestart) {
  OwnCluster pg;
  // Tight but realistic bounds: a request may wait at most ~1 s for the database.
  auto server = start_server(pg.url(), {{"DATABASE_ACQUIRE_TIMEOUT_MS", "1000"},
                                        {"DATABASE_CONNECT_TIMEOUT_SECONDS", "1"},
                                        {"DATABASE_POOL_SIZE", "4"},
                                        {"METRICS_PORT", "0"}});
  httplib::Client c("127.0.0.1", server.port);
  const auto admin_listening = server.process->wait_for_event("admin_listening");
  ASSERT_TRUE(admin_listening) << server.process->output();
  httplib::Client admin("127.0.0.1", (*admin_listening)["port"].get<int>());
  admin.set_read_timeout(5, 0);
  auto scrape = [&] {
    auto r = admin.Get("/metrics");
    return r && r->status == 200 ? parse_exposition(r->body) : std::map<std::string, double>{};
  };
  EXPECT_EQ(series_value(scrape(), "otq_database_up"), 1);
  c.set_read_timeout(5, 0);
  ASSERT_EQ(c.Get("/api/v1/ready")->status, 200);

  pg.stop();
  const auto started = std::chrono::steady_clock::now();
  auto down = c.Get("/api/v1/ready");
  const auto took = std::chrono::steady_clock::now() - started;
  ASSERT_TRUE(down) << "the request hung or the connection dropped";
  EXPECT_EQ(down->status, 503);
  EXPECT_EQ(nlohmann::json::parse(down->body)["error"]["code"], "unavailable");
  EXPECT_LT(took, std::chrono::seconds(3)) << "no request may hang past the configured timeouts";
  EXPECT_EQ(c.Get("/api/v1/health")->status, 200) << "liveness does not depend on the database";
  auto login = c.Post("/api/v1/auth/login", R"({"email":"ann@example.com","password":"correct horse battery"})",
                      "application/json");
  ASSERT_TRUE(login);
  EXPECT_EQ(login->status, 503) << login->body;
  EXPECT_EQ(login->get_header_value("Retry-After"), "2") << "a client is told when to try again";
  const auto scrape_started = std::chrono::steady_clock::now();
  EXPECT_EQ(series_value(scrape(), "otq_database_up"), 0) << "the scrape answers and says the database is down";
  EXPECT_LT(std::chrono::steady_clock::now() - scrape_started, std::chrono::seconds(4));

  pg.start();
  // Readiness returns on its own: poll a bounded number of times.
  int status = 0;
  for (int i = 0; i < 100 && status != 200; ++i) {
    auto r = c.Get("/api/v1/ready");
    status = r ? r->status : 0;
    if (status != 200) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(status, 200);
  // Several more requests succeed: every pooled connection that died was replaced.
  for (int i = 0; i < 8; ++i) EXPECT_EQ(c.Get("/api/v1/ready")->status, 200);
  const auto after = scrape();
  EXPECT_EQ(series_value(after, "otq_database_up"), 1) << "the scrape's own connection is replaced too";
  EXPECT_GE(series_value(after, "otq_db_pool_connections_discarded_total"), 1);

  server.process->signal(SIGTERM);
  EXPECT_EQ(server.process->wait_exit(), 0) << server.process->output();
}

}  // namespace
}  // namespace otq::testing
