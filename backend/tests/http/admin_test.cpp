// The admin listener of `omnitrackiq serve` (METRICS_PORT): a Prometheus exposition that counts
// what the main port served, the pool, the job queue and refused webhooks; not on the main port.
#include <gtest/gtest.h>
#include <httplib.h>
#include <pqxx/pqxx>

#include "tests/support/pg.hpp"
#include "tests/support/process.hpp"
#include "tests/support/prometheus.hpp"

namespace otq::testing {
namespace {

struct Admin {
  explicit Admin(const std::string& database_url)
      : server(start_server(database_url, {{"METRICS_PORT", "0"},
                                           {"STRIPE_WEBHOOK_SECRET", "whsec_test_admin"},
                                           {"SHOPIFY_API_SECRET", "shopify-secret-for-admin-test"}})) {
    const auto listening = server.process->wait_for_event("admin_listening");
    if (!listening) throw std::runtime_error("no admin listener:\n" + server.process->output());
    admin_port = (*listening)["port"].get<int>();
  }
  std::map<std::string, double> scrape() {
    httplib::Client c("127.0.0.1", admin_port);
    auto r = c.Get("/metrics");
    if (!r || r->status != 200) throw std::runtime_error("scrape failed");
    EXPECT_EQ(r->get_header_value("Content-Type"), "text/plain; version=0.0.4; charset=utf-8");
    return parse_exposition(r->body);
  }
  ServerProcess server;
  int admin_port = 0;
};

TEST(AdminListener, CountsRequestsPerRouteAndStatusAndRefusedWebhooks) {
  TestDatabase db;
  Admin admin(db.url());
  httplib::Client main("127.0.0.1", admin.server.port);
  const auto before = admin.scrape();
  const std::string health =
      R"(otq_http_request_duration_seconds_count{method="GET",route="/api/v1/health",status="200"})";
  EXPECT_EQ(series_value(before, health), -1) << "nothing served yet";
  for (int i = 0; i < 3; ++i) ASSERT_EQ(main.Get("/api/v1/health")->status, 200);
  ASSERT_EQ(main.Get("/api/v1/no-such-route")->status, 404);
  ASSERT_EQ(main.Post("/api/v1/billing/webhook", {{"Stripe-Signature", "t=1,v1=00"}}, "{}", "application/json")->status,
            400);
  ASSERT_EQ(main.Post("/api/v1/webhooks/shopify",
                      {{"X-Shopify-Hmac-Sha256", "bm90IGl0"},
                       {"X-Shopify-Topic", "orders/create"},
                       {"X-Shopify-Shop-Domain", "x.myshopify.com"},
                       {"X-Shopify-Webhook-Id", "w1"}},
                      "{}", "application/json")
                ->status,
            401);
  EXPECT_EQ(series_value(before, R"(otq_webhook_verifications_failed_total{provider="stripe"})"), 0);

  const auto m = admin.scrape();
  EXPECT_EQ(series_value(m, health), 3);
  EXPECT_EQ(
      series_value(
          m, R"(otq_http_request_duration_seconds_bucket{method="GET",route="/api/v1/health",status="200",le="+Inf"})"),
      3);
  EXPECT_GT(
      series_value(m, R"(otq_http_request_duration_seconds_sum{method="GET",route="/api/v1/health",status="200"})"), 0);
  EXPECT_EQ(series_value(m, R"(otq_http_request_duration_seconds_count{method="GET",route="unmatched",status="404"})"),
            1);
  EXPECT_EQ(series_value(m, R"(otq_webhook_verifications_failed_total{provider="stripe"})"), 1);
  EXPECT_EQ(series_value(m, R"(otq_webhook_verifications_failed_total{provider="shopify"})"), 1);
  EXPECT_EQ(series_value(m, R"(otq_build_info{version=")" OTQ_VERSION R"(",role="serve"})"), 1);
  EXPECT_EQ(series_value(m, "otq_database_up"), 1);
  EXPECT_EQ(series_value(m, "otq_http_worker_queue_depth"), 0);
  EXPECT_EQ(series_value(m, "otq_http_worker_queue_limit"), 1024);
  EXPECT_GE(series_value(m, R"(otq_db_pool_connections{state="idle"})"), 1) << "the webhooks and /ready used it";
  EXPECT_EQ(series_value(m, R"(otq_db_pool_connections{state="in_use"})"), 0);
  EXPECT_EQ(series_value(m, "otq_db_pool_max_connections"), 10);
  EXPECT_EQ(series_value(m, "otq_db_pool_acquire_timeouts_total"), 0);
  EXPECT_GE(series_value(m, R"(otq_db_pool_acquire_wait_seconds_count)"), 1);
  EXPECT_EQ(series_value(m, R"(otq_http_rejected_total{reason="queue_full"})"), 0);
  EXPECT_GT(series_value(m, "process_open_fds"), 5);
  EXPECT_GT(series_value(m, "process_resident_memory_bytes"), 1e6);

  // The main port does not serve the exposition (it is not an API path, so it is a page lookup).
  auto leaked = main.Get("/metrics");
  ASSERT_TRUE(leaked);
  EXPECT_EQ(leaked->status, 404);
  EXPECT_EQ(leaked->body.find("otq_"), std::string::npos);

  httplib::Client a("127.0.0.1", admin.admin_port);
  auto alive = a.Get("/health");
  ASSERT_TRUE(alive);
  EXPECT_EQ(alive->status, 200);
  EXPECT_EQ(nlohmann::json::parse(alive->body)["role"], "serve");
  EXPECT_EQ(a.Get("/api/v1/health")->status, 404) << "the admin port serves only its own two paths";
}

TEST(AdminListener, ReportsTheJobQueueByKindAndItsOldestDueJob) {
  TestDatabase db;
  Admin admin(db.url());
  {
    pqxx::connection c(db.url());
    pqxx::work tx(c);
    tx.exec0(
        "INSERT INTO jobs (kind, run_at) VALUES ('integration.sync', now() - interval '95 seconds'), "
        "('integration.sync', now() - interval '5 seconds'), ('integration.sync', now() + interval '1 hour'), "
        "('shopify.webhook', now() + interval '10 minutes')");
    tx.exec0("INSERT INTO jobs (kind, status) VALUES ('integration.sync', 'succeeded'), ('integration.sync', 'dead')");
    tx.commit();
  }
  const auto m = admin.scrape();
  EXPECT_EQ(series_value(m, R"(otq_job_queue_jobs{kind="integration.sync",state="ready"})"), 2);
  EXPECT_EQ(series_value(m, R"(otq_job_queue_jobs{kind="integration.sync",state="scheduled"})"), 1);
  EXPECT_EQ(series_value(m, R"(otq_job_queue_jobs{kind="integration.sync",state="running"})"), 0);
  EXPECT_EQ(series_value(m, R"(otq_job_queue_jobs{kind="shopify.webhook",state="ready"})"), 0);
  EXPECT_EQ(series_value(m, R"(otq_job_queue_jobs{kind="shopify.webhook",state="scheduled"})"), 1);
  const double oldest = series_value(m, R"(otq_job_queue_oldest_ready_seconds{kind="integration.sync"})");
  EXPECT_GE(oldest, 95);
  EXPECT_LT(oldest, 95 + 60);
  EXPECT_EQ(series_value(m, R"(otq_job_queue_oldest_ready_seconds{kind="shopify.webhook"})"), 0);
}

}  // namespace
}  // namespace otq::testing
