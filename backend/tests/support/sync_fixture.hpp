// The worker against fake providers: a fixture with a signed-up account, connections inserted
// as the OAuth callback leaves them, a worker process to start, and the fake's expected figures.
// Shared by worker_test.cpp (the queue, Shopify) and meta_sync_test.cpp.
#pragma once

#include <chrono>
#include <csignal>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <tuple>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <pqxx/pqxx>

#include "app/schemas/metrics.hpp"
#include "tests/support/api_client.hpp"
#include "tests/support/crypto.hpp"
#include "tests/support/env.hpp"
#include "tests/support/fake_providers.hpp"
#include "tests/support/pg.hpp"
#include "tests/support/process.hpp"

namespace otq::testing {

using namespace std::chrono_literals;

inline std::int64_t scalar(const std::string& url, const std::string& sql) {
  pqxx::connection c(url);
  pqxx::nontransaction tx(c);
  const auto r = tx.exec(sql);
  return r.empty() || r[0][0].is_null() ? 0 : r[0][0].as<std::int64_t>();
}

// Polls `pred` until it holds or `timeout` passes (never a fixed sleep standing in for a result).
inline bool eventually(const std::function<bool()>& pred, std::chrono::milliseconds timeout = 30s) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (pred()) return true;
    std::this_thread::sleep_for(50ms);
  }
  return pred();
}

inline std::string today_plus(int days) {
  return schemas::metrics::format_day(std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now()) +
                                      std::chrono::days(days));
}

struct Sync : ::testing::Test {
  using json = nlohmann::json;

  FakeProviders fake;
  TestDatabase db;
  ServerProcess server =
      start_server(db.url(), {{"META_API_BASE", fake.base_url()}, {"SHOPIFY_API_BASE", fake.shopify_base()}});
  ApiClient api{server.port};
  Person ann = signup(api, "ann@example.com", "Ann's store");

  // A connected integration, as the OAuth callback leaves it (credentials sealed and bound), due now.
  static std::string connect(const std::string& url, const std::string& account_public_id, const std::string& provider,
                             const std::string& external_id, const std::string& token, const json& settings) {
    pqxx::connection c(url);
    pqxx::work tx(c);
    const auto account =
        tx.exec_params1("SELECT id FROM accounts WHERE public_id = $1", account_public_id)[0].as<std::int64_t>();
    const char fill = provider == "shopify" ? 'S' : 'M';
    const std::string id = "int_" + std::string(22 - std::to_string(account).size(), fill) + std::to_string(account);
    const auto sealed = test_credential_cipher().seal(json{{"access_token", token}}.dump(),
                                                      fmt::format("otq-credentials-v1|{}|{}", account, id));
    tx.exec_params(
        "INSERT INTO integrations (account_id, public_id, provider, external_account_id, status, settings, "
        "next_sync_at, credentials_ciphertext, credentials_key_id) VALUES ($1, $2, $3, $4, 'pending', $5::jsonb, "
        "now(), $6, $7)",
        account, id, provider, external_id, settings.dump(), pqxx::binarystring(sealed.ciphertext), sealed.key_id);
    tx.commit();
    return id;
  }

  std::string connect_meta(const Person& who, int backfill_days) {
    return connect(db.url(), who.account_id, "facebook_ads", "1015", FakeProviders::kLongLivedToken,
                   {{"ad_account_ids", {"act_1"}}, {"backfill_days", backfill_days}});
  }

  std::string connect_shopify(const Person& who) { return connect_shopify(db.url(), who.account_id); }
  std::string connect_shopify(const std::string& url, const std::string& account_public_id) {
    return connect(url, account_public_id, "shopify", "my-store.myshopify.com", FakeProviders::kShopifyToken,
                   json::object());
  }

  // What the fake shop holds: orders, their totals and their refunds, in cents.
  std::tuple<std::int64_t, std::int64_t, std::int64_t> shop_expected() {
    std::int64_t total = 0, refunds = 0;
    for (int n = 1; n <= fake.shopify_orders; ++n) {
      total += FakeProviders::order_total_cents(n);
      refunds += FakeProviders::order_refund_cents(n);
    }
    return {fake.shopify_orders, total, refunds};
  }

  // A fingerprint of the stored orders and refunds, to compare two databases' outcomes.
  std::string orders_checksum(const std::string& url) {
    pqxx::connection c(url);
    pqxx::nontransaction tx(c);
    return tx
        .exec1(
            "SELECT md5(coalesce(string_agg(o.external_id || ':' || o.total_minor || ':' || o.placed_at || ':' || "
            "coalesce((SELECT string_agg(f.external_id || '=' || f.amount_minor, ',' ORDER BY f.external_id) "
            "FROM order_refunds f WHERE f.account_id = o.account_id AND f.order_id = o.id), ''), '|' ORDER BY "
            "o.external_id), '')) FROM orders o")[0]
        .as<std::string>();
  }

  std::unique_ptr<ChildProcess> start_worker(std::map<std::string, std::string> extra = {}) {
    std::map<std::string, std::string> env{{"DATABASE_URL", db.url()},
                                           {"TOKEN_ENCRYPTION_KEY", std::string(kTestTokenKeyRing)},
                                           {"META_API_BASE", fake.base_url()},
                                           {"JOB_POLL_MS", "100"},
                                           {"SHOPIFY_API_BASE", fake.shopify_base()},
                                           {"JOB_LEASE_SECONDS", "2"},
                                           // Every page its own transaction (tests stop a sync between pages);
                                           // tests of batching set more.
                                           {"SYNC_BATCH_ROWS", "1"},
                                           {"LOG_LEVEL", "info"}};
    for (auto& [k, v] : extra) env[k] = v;
    auto p = std::make_unique<ChildProcess>(binary_path(), std::vector<std::string>{"worker"}, env);
    EXPECT_TRUE(p->wait_for_event("worker_started")) << p->output();
    return p;
  }

  std::int64_t q(const std::string& sql) { return scalar(db.url(), sql); }

  // SIGKILLs a worker stopped at a held request, lets the fake answer again, and starts another
  // worker; true when it finishes the job (after the dead worker's lease lapses).
  bool kill_and_replace(std::unique_ptr<ChildProcess>& worker) {
    worker->signal(SIGKILL);
    worker->wait_exit();
    fake.release();
    worker = start_worker();
    return eventually([&] { return q("SELECT count(*) FROM jobs WHERE status = 'succeeded'") == 1; });
  }

  // What Meta reports for act_1 over the last `days` days: rows and spend in cents.
  std::pair<std::int64_t, std::int64_t> expected(int days) {
    std::int64_t rows = 0, cents = 0;
    for (int d = -(days - 1); d <= 0; ++d) {
      for (const auto& c : fake.campaigns) {
        cents += FakeProviders::spend_cents(c, today_plus(d));
        ++rows;
      }
    }
    return {rows, cents};
  }
};

}  // namespace otq::testing
