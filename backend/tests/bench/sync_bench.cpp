// Sync throughput end to end: the real worker process syncs a large Shopify shop and a large Meta
// ad account from the fake providers over HTTP into PostgreSQL; rows per second come from the
// run's own start and finish times. Also the parse-only rate of each mapper, for reference.
// Run through bench/sync.sh (it starts the cluster and the template database).
//   otq_sync_bench [--orders N] [--order-days S] [--campaigns C] [--days D]
#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <string>

#include <fmt/format.h>

#include "app/connectors/meta/meta_connector.hpp"
#include "app/connectors/shopify/orders.hpp"
#include "tests/support/sync_fixture.hpp"

namespace otq::testing {
namespace {

using nlohmann::json;

struct Options {
  int orders = 100000;
  int order_days = 364;  ///< the orders are spread over the backfill's year (its default: 365 days)
  int campaigns = 1000;
  int days = 1000;
};

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    const int value = std::atoi(argv[i + 1]);
    if (flag == "--orders") o.orders = value;
    if (flag == "--order-days") o.order_days = value;
    if (flag == "--campaigns") o.campaigns = value;
    if (flag == "--days") o.days = value;
  }
  return o;
}

std::string new_account(const std::string& url) {
  pqxx::connection c(url);
  pqxx::work tx(c);
  const std::string id = "acct_benchbenchbenchbench00";
  tx.exec_params("INSERT INTO accounts (public_id, name, timezone, currency) VALUES ($1, 'Bench', 'UTC', 'USD')", id);
  tx.commit();
  return id;
}

struct RunFigures {
  std::int64_t rows_read = 0;
  std::int64_t rows_written = 0;
  double seconds = 0;
};

// Starts a worker, waits for the one job to succeed, and reads the run's own figures.
RunFigures run_worker(const std::string& db_url, FakeProviders& fake) {
  ChildProcess worker(binary_path(), {"worker"},
                      {{"DATABASE_URL", db_url},
                       {"TOKEN_ENCRYPTION_KEY", std::string(kTestTokenKeyRing)},
                       {"META_API_BASE", fake.base_url()},
                       {"SHOPIFY_API_BASE", fake.shopify_base()},
                       {"JOB_POLL_MS", "100"},
                       {"JOB_LEASE_SECONDS", "600"},
                       {"LOG_LEVEL", "warn"}});
  // One connection, polled every 200 ms: a new connection per poll would fork a backend each time
  // and take CPU from the sync being measured.
  pqxx::connection poll(db_url);
  auto finished = [&] {
    pqxx::nontransaction tx(poll);
    return tx.exec1("SELECT count(*) FROM sync_runs WHERE finished_at IS NOT NULL")[0].as<int>() == 1;
  };
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(20);
  while (!finished() && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(200ms);
  if (!finished()) {
    throw std::runtime_error("the sync did not finish:\n" + worker.output());
  }
  pqxx::connection c(db_url);
  pqxx::nontransaction tx(c);
  const auto r = tx.exec1(
      "SELECT status, rows_read, rows_written, extract(epoch FROM finished_at - started_at)::float8, "
      "coalesce(error, '') FROM sync_runs");
  if (r[0].as<std::string>() != "succeeded") throw std::runtime_error("the sync failed: " + r[4].as<std::string>());
  return {r[1].as<std::int64_t>(), r[2].as<std::int64_t>(), r[3].as<double>()};
}

// `days`: the orders are placed evenly over that many days up to now. How dense they are matters:
// each batch recomputes the rollups of the days it touches (ADR 0005), a whole day at a time.
void bench_shopify(const Options& o, int days) {
  FakeProviders fake;
  fake.shopify_orders = o.orders;
  fake.shopify_page_size = 250;  // Shopify's largest page
  fake.shopify_first_order_days_ago = days;
  fake.shopify_order_spacing_seconds = std::max(1, static_cast<int>(std::int64_t{days} * 86400 / (o.orders + 1)));
  fake.shopify_customers = o.orders / 3;
  TestDatabase db;
  const std::string account = new_account(db.url());
  Sync::connect(db.url(), account, "shopify", "bench-store.myshopify.com", FakeProviders::kShopifyToken,
                json::object());
  const auto figures = run_worker(db.url(), fake);
  const auto refunds = scalar(db.url(), "SELECT count(*) FROM order_refunds");
  const auto customers = scalar(db.url(), "SELECT count(*) FROM customers");
  std::cout << fmt::format(
      "shopify, {} days: {} orders ({} refunds, {} customers) in {:.2f} s = {:.0f} orders/s end to end ({} "
      "requests)\n",
      days, figures.rows_read, refunds, customers, figures.seconds, figures.rows_read / figures.seconds,
      fake.requests_to("/shops/").size());
}

void bench_meta(const Options& o) {
  FakeProviders fake;
  fake.page_size = 500;  // the connector asks for limit=500
  fake.campaigns.clear();
  for (int c = 1; c <= o.campaigns; ++c) fake.campaigns.push_back(fmt::format("238{:08d}", c));
  TestDatabase db;
  const std::string account = new_account(db.url());
  db.set_plan(account, "agency");  // a plan whose history reaches the whole backfill
  Sync::connect(db.url(), account, "facebook_ads", "1015", FakeProviders::kLongLivedToken,
                {{"ad_account_ids", {"act_1"}}, {"backfill_days", o.days}});
  const auto figures = run_worker(db.url(), fake);
  std::cout << fmt::format("meta: {} insight rows in {:.2f} s = {:.0f} rows/s end to end ({} requests)\n",
                           figures.rows_read, figures.seconds, figures.rows_read / figures.seconds,
                           fake.requests_to("/v").size());
}

// Parse-only: the mappers over pages in the providers' shapes, no network, no database.
void bench_parsers() {
  json page{{"data", json::array()}};
  for (int i = 0; i < 500; ++i) {
    page["data"].push_back({{"account_id", "1"},
                            {"account_currency", "USD"},
                            {"campaign_id", std::to_string(23800000 + i)},
                            {"campaign_name", "Campaign"},
                            {"spend", "123.45"},
                            {"impressions", "12345"},
                            {"clicks", "123"},
                            {"actions", {{{"action_type", "omni_purchase"}, {"value", "2"}}}},
                            {"action_values", {{{"action_type", "omni_purchase"}, {"value", "99.5"}}}},
                            {"date_start", "2026-11-01"},
                            {"date_stop", "2026-11-01"}});
  }
  const std::string text = page.dump();
  const auto start = std::chrono::steady_clock::now();
  std::int64_t rows = 0;
  connectors::meta::InsightsReader reader;
  for (int k = 0; k < 200; ++k)
    rows += static_cast<std::int64_t>(reader.read(text, "act_1", "omni_purchase").rows.size());
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const auto start2 = std::chrono::steady_clock::now();
  for (int k = 0; k < 200; ++k) rows += static_cast<std::int64_t>(json::parse(text)["data"].size());
  const double s2 = std::chrono::duration<double>(std::chrono::steady_clock::now() - start2).count();
  std::cout << fmt::format(
      "meta parse: {:.0f} rows/s (JSON text to rows); a tree of the same text (nlohmann) alone: {:.0f} rows/s\n",
      100000 / s, 100000 / s2);
}

}  // namespace
}  // namespace otq::testing

int main(int argc, char** argv) {
  const auto o = otq::testing::parse(argc, argv);
  try {
    otq::testing::bench_parsers();
    otq::testing::bench_shopify(o, o.order_days);
    // The same orders in a week (the bench's shape before 2026-11-28): ~14,000 a day, each batch
    // recomputing days of that size.
    otq::testing::bench_shopify(o, 7);
    otq::testing::bench_meta(o);
  } catch (const std::exception& e) {
    std::cerr << "bench failed: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
