// The HTTP pipeline over real sockets: envelope for every failure, request ids, limits, CORS,
// security headers, static files, overload and graceful shutdown. Test-only routes exercise
// JSON parsing and handler exceptions.
#include "app/http/server.hpp"

#include <filesystem>
#include <fstream>
#include <future>

#include <gtest/gtest.h>
#include <httplib.h>

#include "app/api/admin.hpp"
#include "app/api/router.hpp"
#include "app/errors.hpp"
#include "tests/support/crypto.hpp"
#include "tests/support/pg.hpp"
#include "tests/support/prometheus.hpp"

namespace otq::http {
namespace {

struct Harness {
  explicit Harness(const std::string& database_url, std::size_t workers = 4, std::size_t queue = 64,
                   std::string static_dir = "/nonexistent")
      : pool(db::PoolOptions{database_url, 2, std::chrono::seconds(5), std::chrono::milliseconds(500),
                             std::chrono::milliseconds(5000), "otq-http-test"}),
        auth(pool, security::JwtCodec(std::string(40, 's')), 10, system_clock()),
        accounts(pool, "http://localhost", false),
        metrics(pool, config.billing.catalog),
        ingest(pool),
        integrations(pool, config, otq::testing::test_credential_cipher(), "state-secret"),
        billing(pool, config),
        shopify_webhooks(pool, config),
        data_rights(pool),
        app{config, pool, auth, accounts, metrics, ingest, integrations, billing, shopify_webhooks, data_rights},
        router(api::build_router(app)),
        files(StaticFiles::load(static_dir)),
        worker_pool(workers, queue),
        pipeline(PipelineOptions{4096, {"https://app.example.com"}, true, std::chrono::seconds(15)}, router, files,
                 worker_pool),
        server(ServerOptions{"127.0.0.1", 0, 2, std::chrono::seconds(15), 4096}, pipeline) {}

  void start() {
    server.start();
    client = std::make_unique<httplib::Client>("127.0.0.1", server.port());
    client->set_read_timeout(10, 0);
  }
  ~Harness() {
    server.shutdown(std::chrono::seconds(1));
    worker_pool.stop();
  }

  Config config{};
  db::Pool pool;
  services::AuthGate auth;
  services::AccountService accounts;
  services::MetricsService metrics;
  services::IngestService ingest;
  services::IntegrationsService integrations;
  services::BillingService billing;
  services::ShopifyWebhooks shopify_webhooks;
  services::DataRights data_rights;
  api::AppContext app;
  Router router;
  StaticFiles files;
  WorkerPool worker_pool;
  Pipeline pipeline;
  Server server;
  std::unique_ptr<httplib::Client> client;
};

nlohmann::json body_of(const httplib::Result& r) {
  return nlohmann::json::parse(r->body);
}

void expect_envelope(const httplib::Result& r, int status, const std::string& code) {
  ASSERT_TRUE(r) << "no response";
  EXPECT_EQ(r->status, status);
  EXPECT_EQ(r->get_header_value("Content-Type"), "application/json");
  const auto j = body_of(r);
  EXPECT_EQ(j["error"]["code"], code) << r->body;
  EXPECT_FALSE(j["error"]["message"].get<std::string>().empty());
  EXPECT_EQ(j["error"]["request_id"], r->get_header_value("X-Request-Id"));
}

class ServerTest : public ::testing::Test {
 protected:
  testing::TestDatabase db;
};

TEST_F(ServerTest, HealthAndReadyAnswerWithRequestIds) {
  Harness h(db.url());
  h.start();
  auto health = h.client->Get("/api/v1/health");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
  EXPECT_EQ(body_of(health)["status"], "ok");
  EXPECT_TRUE(health->get_header_value("X-Request-Id").starts_with("req_"));
  auto ready = h.client->Get("/api/v1/ready");
  ASSERT_TRUE(ready);
  EXPECT_EQ(ready->status, 200) << ready->body;
  EXPECT_EQ(body_of(ready)["migrations"]["pending"], 0);
}

TEST_F(ServerTest, ReadyIs503WhenMigrationsArePending) {
  testing::TestDatabase empty(testing::TestDatabase::Schema::empty);
  Harness h(empty.url());
  h.start();
  auto r = h.client->Get("/api/v1/ready");
  expect_envelope(r, 503, "unavailable");
  EXPECT_NE(body_of(r)["error"]["message"].get<std::string>().find("omnitrackiq migrate"), std::string::npos);
}

TEST_F(ServerTest, IncomingRequestIdIsKeptWhenSaneAndReplacedOtherwise) {
  Harness h(db.url());
  h.start();
  auto kept = h.client->Get("/api/v1/health", {{"X-Request-Id", "lb-7f3a.42"}});
  EXPECT_EQ(kept->get_header_value("X-Request-Id"), "lb-7f3a.42");
  auto replaced = h.client->Get("/api/v1/health", {{"X-Request-Id", "<script>"}});
  EXPECT_TRUE(replaced->get_header_value("X-Request-Id").starts_with("req_"));
}

TEST_F(ServerTest, UnknownRouteIs404AndWrongMethodIs405WithAllow) {
  Harness h(db.url());
  h.start();
  expect_envelope(h.client->Get("/api/v1/does-not-exist"), 404, "not_found");
  expect_envelope(h.client->Get("/api/v2/health"), 404, "not_found");
  auto r = h.client->Delete("/api/v1/health");
  expect_envelope(r, 405, "method_not_allowed");
  EXPECT_EQ(r->get_header_value("Allow"), "GET, HEAD, OPTIONS");
}

TEST_F(ServerTest, OversizeBodyIs413) {
  Harness h(db.url());
  h.start();
  expect_envelope(h.client->Post("/api/v1/health", std::string(5000, 'x'), "application/json"), 413,
                  "payload_too_large");
}

TEST_F(ServerTest, MalformedJsonIs400AndHandlerExceptionsAre500WithoutInternals) {
  Harness h(db.url());
  h.router.add({Method::post, "/api/v1/test/echo", Access::public_route, Runs::on_worker,
                [](Request& req) { return Response::json(200, req.json_object()); }});
  h.router.add({Method::get, "/api/v1/test/boom", Access::public_route, Runs::on_worker, [](Request&) -> Response {
                  throw std::runtime_error("SELECT password_hash FROM users at /srv/app/db.cpp:42");
                }});
  h.router.add({Method::get, "/api/v1/test/sql", Access::public_route, Runs::on_worker, [&h](Request&) -> Response {
                  h.pool.read([](pqxx::read_transaction& tx) { tx.exec("SELECT * FROM no_such_table"); });
                  return Response::json(200, {});
                }});
  h.start();
  auto echo = h.client->Post("/api/v1/test/echo", R"({"a":1})", "application/json");
  EXPECT_EQ(echo->status, 200);
  EXPECT_EQ(body_of(echo)["a"], 1);

  auto bad = h.client->Post("/api/v1/test/echo", R"({"a": )", "application/json");
  expect_envelope(bad, 400, "invalid_argument");

  for (const char* path : {"/api/v1/test/boom", "/api/v1/test/sql"}) {
    auto boom = h.client->Get(path);
    expect_envelope(boom, 500, "internal");
    EXPECT_EQ(boom->body.find("SELECT"), std::string::npos);
    EXPECT_EQ(boom->body.find("no_such_table"), std::string::npos);
    EXPECT_EQ(boom->body.find("/srv"), std::string::npos);
  }
}

TEST_F(ServerTest, CorsAllowsOnlyConfiguredOrigins) {
  Harness h(db.url());
  h.start();
  auto allowed = h.client->Get("/api/v1/health", {{"Origin", "https://app.example.com"}});
  EXPECT_EQ(allowed->get_header_value("Access-Control-Allow-Origin"), "https://app.example.com");
  EXPECT_EQ(allowed->get_header_value("Access-Control-Allow-Credentials"), "true");
  auto other = h.client->Get("/api/v1/health", {{"Origin", "https://evil.example"}});
  EXPECT_FALSE(other->has_header("Access-Control-Allow-Origin"));

  auto preflight_ok = h.client->Options(
      "/api/v1/health", {{"Origin", "https://app.example.com"}, {"Access-Control-Request-Method", "GET"}});
  EXPECT_EQ(preflight_ok->status, 204);
  EXPECT_EQ(preflight_ok->get_header_value("Access-Control-Allow-Origin"), "https://app.example.com");
  auto preflight_bad = h.client->Options(
      "/api/v1/health", {{"Origin", "https://evil.example"}, {"Access-Control-Request-Method", "GET"}});
  expect_envelope(preflight_bad, 403, "forbidden");
  EXPECT_FALSE(preflight_bad->has_header("Access-Control-Allow-Origin"));
}

TEST_F(ServerTest, SecurityHeadersOnEveryResponse) {
  Harness h(db.url());
  h.start();
  for (const char* path : {"/api/v1/health", "/api/v1/nope", "/"}) {
    auto r = h.client->Get(path);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->get_header_value("X-Content-Type-Options"), "nosniff") << path;
    EXPECT_EQ(r->get_header_value("X-Frame-Options"), "DENY") << path;
    EXPECT_TRUE(r->has_header("Strict-Transport-Security")) << path;
    EXPECT_TRUE(r->has_header("Referrer-Policy")) << path;
  }
  EXPECT_EQ(h.client->Get("/api/v1/health")->get_header_value("Cache-Control"), "no-store");
}

TEST_F(ServerTest, ServesTheFrontendExportFromMemory) {
  const auto dir = std::filesystem::temp_directory_path() / ("otq-static-" + db.name());
  std::filesystem::create_directories(dir / "login");
  std::filesystem::create_directories(dir / "_next/static/chunks");
  std::ofstream(dir / "index.html") << "<h1>home</h1>";
  std::ofstream(dir / "login.html") << "<h1>login</h1>";
  std::ofstream(dir / "404.html") << "<h1>lost</h1>";
  std::ofstream(dir / "_next/static/chunks/app.js") << "console.log(1)";
  std::ofstream(dir.parent_path() / "otq-secret.txt") << "secret";
  Harness h(db.url(), 4, 64, dir.string());
  h.start();

  auto home = h.client->Get("/");
  EXPECT_EQ(home->status, 200);
  EXPECT_EQ(home->body, "<h1>home</h1>");
  EXPECT_EQ(home->get_header_value("Content-Type"), "text/html; charset=utf-8");
  EXPECT_EQ(home->get_header_value("Cache-Control"), "no-cache");
  EXPECT_TRUE(home->has_header("Content-Security-Policy"));
  EXPECT_NE(home->get_header_value("Content-Security-Policy").find("object-src 'none'"), std::string::npos)
      << "no plugins at all (wapiti's CSP check)";
  EXPECT_EQ(h.client->Get("/login")->body, "<h1>login</h1>");

  auto js = h.client->Get("/_next/static/chunks/app.js");
  EXPECT_EQ(js->get_header_value("Content-Type"), "text/javascript; charset=utf-8");
  EXPECT_EQ(js->get_header_value("Cache-Control"), "public, max-age=31536000, immutable");

  auto again = h.client->Get("/", {{"If-None-Match", home->get_header_value("ETag")}});
  EXPECT_EQ(again->status, 304);
  EXPECT_TRUE(again->body.empty());

  // A browser that accepts gzip gets the compressed variant with its own validator.
  std::string big;
  for (int i = 0; i < 100; ++i) big += "<p>row " + std::to_string(i) + "</p>\n";
  std::ofstream(dir / "big.html") << big;
  Harness h2(db.url(), 2, 16, dir.string());
  h2.start();
  auto plain = h2.client->Get("/big");
  EXPECT_EQ(plain->body, big);
  EXPECT_FALSE(plain->has_header("Content-Encoding"));
  EXPECT_EQ(plain->get_header_value("Vary"), "Accept-Encoding");
  auto packed = h2.client->Get("/big", {{"Accept-Encoding", "gzip, deflate, br"}});
  EXPECT_EQ(packed->get_header_value("Content-Encoding"), "gzip");
  EXPECT_EQ(packed->get_header_value("Content-Type"), "text/html; charset=utf-8");
  EXPECT_EQ(packed->body, big) << "cpp-httplib inflates what it received (the sizes are StaticFilesLoad's test)";
  EXPECT_NE(packed->get_header_value("ETag"), plain->get_header_value("ETag"));
  EXPECT_EQ(h2.client->Get("/big", {{"Accept-Encoding", "gzip"}, {"If-None-Match", packed->get_header_value("ETag")}})
                ->status,
            304);
  EXPECT_EQ(h2.client->Get("/big", {{"Accept-Encoding", "gzip;q=0"}})->body, big);

  auto missing = h.client->Get("/nowhere");
  EXPECT_EQ(missing->status, 404);
  EXPECT_EQ(missing->body, "<h1>lost</h1>");
  EXPECT_EQ(h.client->Get("/../otq-secret.txt")->body.find("secret"), std::string::npos);
  EXPECT_EQ(h.client->Get("/%2e%2e/otq-secret.txt")->body.find("secret"), std::string::npos);
  expect_envelope(h.client->Post("/", "x", "text/plain"), 405, "method_not_allowed");
  std::filesystem::remove_all(dir);
  std::filesystem::remove(dir.parent_path() / "otq-secret.txt");
}

TEST_F(ServerTest, FullWorkerQueueAnswers503InsteadOfQueueingForever) {
  Harness h(db.url(), 1, 1);
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::promise<void> entered;
  std::atomic<bool> first{true};
  h.router.add({Method::get, "/api/v1/test/block", Access::public_route, Runs::on_worker, [&](Request&) {
                  if (first.exchange(false)) entered.set_value();
                  released.wait();
                  return Response::json(200, {{"done", true}});
                }});
  h.start();
  auto busy = std::async(std::launch::async, [&] {
    httplib::Client c("127.0.0.1", h.server.port());
    return c.Get("/api/v1/test/block");
  });
  entered.get_future().wait();  // the only worker is now busy
  auto queued = std::async(std::launch::async, [&] {
    httplib::Client c("127.0.0.1", h.server.port());
    return c.Get("/api/v1/test/block");
  });
  // The queue holds one request; wait until it is there, then the next one overflows.
  while (h.worker_pool.queued() == 0) std::this_thread::yield();
  auto rejected = h.client->Get("/api/v1/test/block");
  expect_envelope(rejected, 503, "unavailable");
  EXPECT_EQ(rejected->get_header_value("Retry-After"), "1");
  EXPECT_EQ(h.client->Get("/api/v1/health")->status, 200) << "I/O-thread routes still answer while workers are busy";
  release.set_value();
  EXPECT_EQ(busy.get()->status, 200);
  EXPECT_EQ(queued.get()->status, 200);
}

TEST_F(ServerTest, AnExhaustedPoolAnswers503WithRetryAfterAndTheScrapeSaysWhy) {
  Harness h(db.url());  // pool of 2, 500 ms acquire timeout
  h.start();
  db::Pool stats_pool(db::PoolOptions{db.url(), 1});
  const api::AdminSources sources{"serve", &h.pool, &h.worker_pool, 4, 64, &h.server};
  {
    auto first = h.pool.acquire();
    auto second = h.pool.acquire();  // every connection is leased: the next caller must wait
    const auto started = std::chrono::steady_clock::now();
    auto busy = h.client->Post("/api/v1/auth/login", R"({"email":"ann@example.com","password":"correct horse"})",
                               "application/json");
    const auto waited = std::chrono::steady_clock::now() - started;
    expect_envelope(busy, 503, "unavailable");
    EXPECT_EQ(busy->get_header_value("Retry-After"), "1");
    EXPECT_GE(waited, std::chrono::milliseconds(450)) << "it waited for the acquire timeout";
    EXPECT_LT(waited, std::chrono::seconds(3)) << "and not much longer";
    const auto m = testing::parse_exposition(api::render_metrics(sources, stats_pool));
    EXPECT_EQ(testing::series_value(m, "otq_db_pool_acquire_timeouts_total"), 1);
    EXPECT_EQ(testing::series_value(m, R"(otq_db_pool_connections{state="in_use"})"), 2);
    EXPECT_EQ(testing::series_value(m, "otq_db_pool_max_connections"), 2);
    EXPECT_GE(testing::series_value(m, R"(otq_db_pool_acquire_wait_seconds_bucket{le="+Inf"})"), 3);
    EXPECT_EQ(testing::series_value(m, R"(otq_db_pool_acquire_wait_seconds_bucket{le="0.25"})"),
              testing::series_value(m, R"(otq_db_pool_acquire_wait_seconds_bucket{le="+Inf"})") - 1)
        << "only the refused wait took longer than 250 ms";
    EXPECT_EQ(testing::series_value(m, "otq_database_up"), 1) << "the scrape has a connection of its own";
  }
  // Connections back: the same request reaches the database (and fails on the unknown account).
  auto after = h.client->Post("/api/v1/auth/login", R"({"email":"ann@example.com","password":"correct horse"})",
                              "application/json");
  ASSERT_TRUE(after);
  EXPECT_EQ(after->status, 401) << after->body;
}

TEST_F(ServerTest, ShutdownFinishesInFlightRequestsAndStopsAccepting) {
  Harness h(db.url(), 2, 8);
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::promise<void> entered;
  h.router.add({Method::get, "/api/v1/test/slow", Access::public_route, Runs::on_worker, [&](Request&) {
                  entered.set_value();
                  released.wait();
                  return Response::json(200, {{"finished", true}});
                }});
  h.start();
  const int port = h.server.port();
  auto slow = std::async(std::launch::async, [&] {
    httplib::Client c("127.0.0.1", port);
    c.set_read_timeout(10, 0);
    return c.Get("/api/v1/test/slow");
  });
  entered.get_future().wait();
  auto stopping = std::async(std::launch::async, [&] { h.server.shutdown(std::chrono::seconds(10)); });
  // New connections are refused once the listener is closed.
  bool refused = false;
  for (int i = 0; i < 2000 && !refused; ++i) {
    httplib::Client probe("127.0.0.1", port);
    probe.set_connection_timeout(0, 100000);
    refused = !probe.Get("/api/v1/health");
    if (!refused) std::this_thread::yield();
  }
  EXPECT_TRUE(refused);
  EXPECT_EQ(stopping.wait_for(std::chrono::milliseconds(0)), std::future_status::timeout)
      << "shutdown must wait for the in-flight request";
  release.set_value();
  auto r = slow.get();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(body_of(r)["finished"], true);
  EXPECT_EQ(r->get_header_value("Connection"), "close");
  stopping.get();
}

}  // namespace
}  // namespace otq::http
