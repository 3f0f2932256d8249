// Pool and transaction helper against a real PostgreSQL.
#include "app/db.hpp"

#include <future>
#include <thread>

#include <gtest/gtest.h>

#include "tests/support/pg.hpp"

namespace otq::db {
namespace {

PoolOptions options_for(const testing::TestDatabase& db, std::size_t size = 2) {
  PoolOptions o;
  o.url = db.url();
  o.size = size;
  o.acquire_timeout = std::chrono::milliseconds(200);
  o.application_name = "otq-db-test";
  return o;
}

TEST(Pool, TransactCommitsAndReturnsTheResult) {
  testing::TestDatabase db;
  Pool pool(options_for(db));
  pool.transact([](pqxx::work& tx) { tx.exec0("CREATE TABLE t (v int)"); });
  pool.transact([](pqxx::work& tx) { tx.exec_params0("INSERT INTO t VALUES ($1)", 7); });
  const int v = pool.read([](pqxx::read_transaction& tx) { return tx.exec1("SELECT sum(v) FROM t")[0].as<int>(); });
  EXPECT_EQ(v, 7);
}

TEST(Pool, ExceptionRollsBackEverything) {
  testing::TestDatabase db;
  Pool pool(options_for(db));
  pool.transact([](pqxx::work& tx) { tx.exec0("CREATE TABLE t (v int)"); });
  EXPECT_THROW(pool.transact([](pqxx::work& tx) {
    tx.exec0("INSERT INTO t VALUES (1)");
    throw std::runtime_error("business rule failed");
  }),
               std::runtime_error);
  EXPECT_EQ(pool.read([](pqxx::read_transaction& tx) { return tx.exec1("SELECT count(*) FROM t")[0].as<int>(); }), 0);
}

TEST(Pool, ReadIsReadOnly) {
  testing::TestDatabase db;
  Pool pool(options_for(db));
  EXPECT_THROW(pool.read([](pqxx::read_transaction& tx) { tx.exec0("CREATE TABLE nope (v int)"); }), pqxx::sql_error);
}

TEST(Pool, SessionRunsInUtcWithAStatementTimeout) {
  testing::TestDatabase db;
  PoolOptions o = options_for(db);
  o.statement_timeout = std::chrono::milliseconds(150);
  Pool pool(o);
  EXPECT_EQ(pool.read([](pqxx::read_transaction& tx) { return tx.exec1("SHOW TIME ZONE")[0].as<std::string>(); }), "UTC");
  try {
    pool.read([](pqxx::read_transaction& tx) { tx.exec("SELECT pg_sleep(5)"); });
    FAIL() << "statement_timeout did not fire";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::unavailable);
  }
}

TEST(Pool, NeverOpensMoreThanItsSizeAndTimesOutWhenExhausted) {
  testing::TestDatabase db;
  Pool pool(options_for(db, 2));
  Lease a = pool.acquire();
  Lease b = pool.acquire();
  EXPECT_EQ(pool.stats().open, 2u);
  try {
    Lease c = pool.acquire();
    FAIL() << "a third lease was handed out";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::unavailable);
  }
  EXPECT_EQ(pool.stats().open, 2u);
}

TEST(Pool, AWaitingAcquireGetsAReturnedConnection) {
  testing::TestDatabase db;
  PoolOptions o = options_for(db, 1);
  o.acquire_timeout = std::chrono::seconds(10);
  Pool pool(o);
  auto held = std::make_unique<Lease>(pool.acquire());
  auto waiter = std::async(std::launch::async, [&] {
    Lease l = pool.acquire();
    return l.fresh();
  });
  while (pool.stats().waiting == 0) std::this_thread::yield();
  held.reset();  // returning the lease must wake the waiter long before its 10 s deadline
  EXPECT_FALSE(waiter.get()) << "the waiter got the returned connection, not a new one";
  EXPECT_EQ(pool.stats().created, 1u);
}

TEST(Pool, ReplacesAConnectionTheServerKilled) {
  testing::TestDatabase db;
  Pool pool(options_for(db, 1));
  const int pid = pool.read([](pqxx::read_transaction& tx) { return tx.exec1("SELECT pg_backend_pid()")[0].as<int>(); });
  {
    pqxx::connection admin(db.admin_url());
    pqxx::nontransaction tx(admin);
    tx.exec_params("SELECT pg_terminate_backend($1)", pid);
  }
  // The idle connection is now dead; the helper notices, replaces it and retries once.
  const int new_pid = pool.read([](pqxx::read_transaction& tx) { return tx.exec1("SELECT pg_backend_pid()")[0].as<int>(); });
  EXPECT_NE(new_pid, pid);
  EXPECT_EQ(pool.stats().discarded, 1u);
  EXPECT_EQ(pool.stats().open, 1u);
}

TEST(Pool, UnreachableServerIsUnavailableNotACrash) {
  PoolOptions o;
  o.url = "postgresql:///none?host=/nonexistent-socket-dir&user=nobody";
  Pool pool(o);
  try {
    pool.read([](pqxx::read_transaction& tx) { tx.exec("SELECT 1"); });
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::unavailable);
    EXPECT_EQ(e.public_message().find("nonexistent"), std::string::npos) << "no internals in the public message";
  }
  EXPECT_EQ(pool.stats().open, 0u) << "the failed slot was given back";
}

TEST(Pool, CloseRefusesNewLeases) {
  testing::TestDatabase db;
  Pool pool(options_for(db));
  pool.read([](pqxx::read_transaction& tx) { tx.exec("SELECT 1"); });
  pool.close();
  EXPECT_EQ(pool.stats().open, 0u);
  EXPECT_THROW(pool.acquire(), Error);
}

TEST(ConnectionString, AddsTimeoutsWithoutOverridingTheOperator) {
  PoolOptions o;
  o.url = "postgresql://h/db";
  o.connect_timeout = std::chrono::seconds(3);
  EXPECT_EQ(connection_string(o).find("postgresql://h/db?connect_timeout=3&application_name=omnitrackiq"), 0u);
  o.url = "postgresql://h/db?connect_timeout=9";
  EXPECT_EQ(connection_string(o).find("connect_timeout=3"), std::string::npos);
  o.url = "host=h dbname=db";
  EXPECT_NE(connection_string(o).find(" connect_timeout=3"), std::string::npos);
}

}  // namespace
}  // namespace otq::db
