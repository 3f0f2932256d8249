// The fact tables' parents are checked per statement (migration 0012, ADR 0011): the guarantees of
// the foreign keys they replaced, in a real database: a missing parent fails the write, a
// deleted parent cascades or detaches, and a parent deleted while a write is in flight waits for it.
#include <chrono>
#include <future>
#include <string>
#include <thread>

#include <gtest/gtest.h>
#include <pqxx/pqxx>

#include "tests/support/pg.hpp"

namespace otq::testing {
namespace {

using namespace std::chrono_literals;

// Two accounts, each with a Meta and a Shopify connection, a customer, an order and a day of spend.
constexpr const char* kSeed = R"sql(
INSERT INTO accounts (public_id, name) VALUES ('acct_AAAAAAAAAAAAAAAAAAAAAA', 'A'), ('acct_BBBBBBBBBBBBBBBBBBBBBB', 'B');
INSERT INTO integrations (account_id, public_id, provider, external_account_id)
SELECT a.id, 'int_' || left(p.provider, 1) || substr(a.public_id, 6, 21), p.provider, 'ext'
  FROM accounts a CROSS JOIN (VALUES ('facebook_ads'), ('shopify')) p(provider);
INSERT INTO customers (account_id, platform, external_id) SELECT id, 'shopify', 'c1' FROM accounts;
INSERT INTO orders (account_id, platform, external_id, integration_id, customer_id, placed_at, currency, total_minor)
SELECT a.id, 'shopify', '1001', i.id, c.id, '2026-11-01T12:00:00Z', 'USD', 5000
  FROM accounts a JOIN integrations i ON i.account_id = a.id AND i.provider = 'shopify'
  JOIN customers c ON c.account_id = a.id;
INSERT INTO ad_spend (account_id, platform, ad_account_id, campaign_id, date, integration_id, currency, spend_minor)
SELECT a.id, 'facebook_ads', 'act_1', 'c1', '2026-11-01', i.id, 'USD', 1200
  FROM accounts a JOIN integrations i ON i.account_id = a.id AND i.provider = 'facebook_ads';
)sql";

std::string one(pqxx::connection& c, const std::string& sql) {
  pqxx::nontransaction tx(c);
  const auto r = tx.exec1(sql);
  return r[0].is_null() ? "" : r[0].as<std::string>();
}

class FactParents : public ::testing::Test {
 protected:
  void SetUp() override {
    pqxx::work tx(conn);
    tx.exec0(kSeed);
    tx.commit();
  }
  std::string account(char letter) {
    return one(conn, std::string("SELECT id FROM accounts WHERE name = '") + letter + "'");
  }
  std::string integration(char letter, const std::string& provider) {
    return one(conn, "SELECT i.id FROM integrations i JOIN accounts a ON a.id = i.account_id WHERE a.name = '" +
                         std::string(1, letter) + "' AND i.provider = '" + provider + "'");
  }
  // The statement must fail as a foreign key would, and leave nothing behind.
  void expect_refused(const std::string& sql) {
    pqxx::work tx(conn);
    EXPECT_THROW(tx.exec0(sql), pqxx::foreign_key_violation) << sql;
  }

  TestDatabase db;
  pqxx::connection conn{db.url()};
};

TEST_F(FactParents, AWriteThatReferencesAMissingOrForeignParentIsRefused) {
  const auto a = account('A');
  const auto b_meta = integration('B', "facebook_ads");
  const auto b_customer = one(conn,
                              "SELECT c.id FROM customers c JOIN accounts a ON a.id = c.account_id "
                              "WHERE a.name = 'B'");
  const std::string spend =
      "INSERT INTO ad_spend (account_id, platform, ad_account_id, campaign_id, date, "
      "integration_id, currency) VALUES (";
  expect_refused(spend + "999999, 'facebook_ads', 'act_1', 'c9', '2026-11-02', NULL, 'USD')");
  // Account B's connection is not a connection of account A.
  expect_refused(spend + a + ", 'facebook_ads', 'act_1', 'c9', '2026-11-02', " + b_meta + ", 'USD')");
  expect_refused("UPDATE ad_spend SET integration_id = " + b_meta + " WHERE account_id = " + a);
  const std::string order =
      "INSERT INTO orders (account_id, platform, external_id, customer_id, placed_at, "
      "currency, total_minor) VALUES (";
  expect_refused(order + "999999, 'shopify', '2001', NULL, now(), 'USD', 1)");
  expect_refused(order + a + ", 'shopify', '2001', " + b_customer + ", now(), 'USD', 1)");
  expect_refused("UPDATE orders SET customer_id = " + b_customer + " WHERE account_id = " + a);
  // One bad row fails the whole statement.
  expect_refused(spend + a +
                 ", 'facebook_ads', 'act_1', 'c8', '2026-11-02', NULL, 'USD'), (999999, "
                 "'facebook_ads', 'act_1', 'c9', '2026-11-02', NULL, 'USD')");
  EXPECT_EQ(one(conn, "SELECT count(*) FROM ad_spend"), "2");
  EXPECT_EQ(one(conn, "SELECT count(*) FROM orders"), "2");

  // The same rows with their own account's parents are written.
  const auto a_meta = integration('A', "facebook_ads");
  pqxx::work tx(conn);
  tx.exec0(spend + a + ", 'facebook_ads', 'act_1', 'c9', '2026-11-02', " + a_meta + ", 'USD')");
  tx.commit();
  EXPECT_EQ(one(conn, "SELECT count(*) FROM ad_spend WHERE account_id = " + a), "2");
}

TEST_F(FactParents, DeletedParentsCascadeOrDetachAsTheirForeignKeysDid) {
  const auto a = account('A');
  const auto b = account('B');
  const auto a_meta = integration('A', "facebook_ads");
  const auto a_shop = integration('A', "shopify");
  {
    pqxx::work tx(conn);
    tx.exec0("DELETE FROM integrations WHERE id = " + a_meta + " AND account_id = " + a);
    tx.exec0("DELETE FROM integrations WHERE id = " + a_shop + " AND account_id = " + a);
    tx.exec0("DELETE FROM customers WHERE account_id = " + a);
    tx.commit();
  }
  // Account A's facts stay, detached from the deleted connections and customer...
  EXPECT_EQ(one(conn, "SELECT count(*) FROM ad_spend WHERE account_id = " + a + " AND integration_id IS NULL"), "1");
  EXPECT_EQ(one(conn, "SELECT count(*) FROM orders WHERE account_id = " + a +
                          " AND integration_id IS NULL AND customer_id IS NULL"),
            "1");
  // ...and account B's are untouched.
  EXPECT_EQ(one(conn, "SELECT count(*) FROM orders WHERE account_id = " + b +
                          " AND integration_id IS NOT NULL AND customer_id IS NOT NULL"),
            "1");

  {
    pqxx::work tx(conn);
    tx.exec0("DELETE FROM accounts WHERE id = " + a);
    tx.commit();
  }
  EXPECT_EQ(one(conn, "SELECT count(*) FROM ad_spend WHERE account_id = " + a), "0");
  EXPECT_EQ(one(conn, "SELECT count(*) FROM orders WHERE account_id = " + a), "0");
  EXPECT_EQ(one(conn, "SELECT count(*) FROM rollup_orders_daily WHERE account_id = " + a), "0");
  EXPECT_EQ(one(conn, "SELECT count(*) FROM ad_spend WHERE account_id = " + b), "1");
  EXPECT_EQ(one(conn, "SELECT count(*) FROM orders WHERE account_id = " + b), "1");
}

TEST_F(FactParents, AnAccountDeletedDuringAnUncommittedWriteWaitsAndThenTakesItsRowsAlong) {
  const auto a = account('A');
  pqxx::connection writer(db.url());
  pqxx::work write(writer);
  write.exec0("INSERT INTO ad_spend (account_id, platform, ad_account_id, campaign_id, date, currency) VALUES (" + a +
              ", 'facebook_ads', 'act_1', 'c2', '2026-11-03', 'USD')");
  const auto writer_pid = write.exec1("SELECT pg_backend_pid()")[0].as<int>();

  pqxx::connection deleter(db.url());
  const auto deleter_pid = one(deleter, "SELECT pg_backend_pid()");
  auto deletion = std::async(std::launch::async, [&] {
    pqxx::work tx(deleter);
    tx.exec0("DELETE FROM accounts WHERE id = " + a);
    tx.commit();
  });
  // The deletion waits for the writer's lock on the account row, as it would behind a foreign key.
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  std::string blocked_by;
  while (std::chrono::steady_clock::now() < deadline) {
    blocked_by = one(conn, "SELECT array_to_string(pg_blocking_pids(" + deleter_pid + "), ',')");
    if (!blocked_by.empty()) break;
    std::this_thread::sleep_for(20ms);
  }
  ASSERT_EQ(blocked_by, std::to_string(writer_pid)) << "the deletion did not wait for the write";
  EXPECT_EQ(deletion.wait_for(0s), std::future_status::timeout);

  write.commit();
  deletion.get();
  EXPECT_EQ(one(conn, "SELECT count(*) FROM ad_spend WHERE account_id = " + a), "0")
      << "the committed row outlived its account";
}

}  // namespace
}  // namespace otq::testing
