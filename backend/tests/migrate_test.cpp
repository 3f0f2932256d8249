// Migration runner against a real, empty database.
#include "app/migrate.hpp"

#include <gtest/gtest.h>

#include "tests/support/pg.hpp"

namespace otq::migrate {
namespace {

using Files = std::vector<std::pair<std::string_view, std::string_view>>;

int count(pqxx::connection& c, const std::string& sql) {
  pqxx::work tx(c);
  return tx.exec1(sql)[0].as<int>();
}

TEST(Migrate, AppliesEachOnceInOrderAndRecordsChecksums) {
  testing::TestDatabase db(testing::TestDatabase::Schema::empty);
  pqxx::connection c(db.url());
  const auto ms = parse(Files{{"0001_a.sql", "CREATE TABLE a (id int);"},
                              {"0002_b.sql", "CREATE TABLE b (a_id int); INSERT INTO b VALUES (1);"}});
  const Report first = run(c, ms);
  EXPECT_EQ(first.applied_now, (std::vector<std::string>{"0001_a.sql", "0002_b.sql"}));
  const Report second = run(c, ms);
  EXPECT_TRUE(second.applied_now.empty());
  EXPECT_EQ(second.already_applied, 2u);
  EXPECT_EQ(count(c, "SELECT count(*) FROM b"), 1) << "the second run must not re-run 0002";
  pqxx::work tx(c);
  EXPECT_EQ(tx.exec1("SELECT checksum FROM schema_migrations WHERE version = 2")[0].as<std::string>(), ms[1].checksum);
}

TEST(Migrate, AChangedAppliedFileIsAnError) {
  testing::TestDatabase db(testing::TestDatabase::Schema::empty);
  pqxx::connection c(db.url());
  run(c, parse(Files{{"0001_a.sql", "CREATE TABLE a (id int);"}}));
  try {
    run(c, parse(Files{{"0001_a.sql", "CREATE TABLE a (id bigint);"}}));
    FAIL() << "an edited migration was accepted";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("0001_a.sql"), std::string::npos);
  }
}

TEST(Migrate, AFailingMigrationLeavesNothingHalfApplied) {
  testing::TestDatabase db(testing::TestDatabase::Schema::empty);
  pqxx::connection c(db.url());
  const auto ms = parse(Files{{"0001_a.sql", "CREATE TABLE a (id int);"},
                              {"0002_bad.sql", "CREATE TABLE b (id int); SELECT * FROM missing_table;"}});
  EXPECT_THROW(run(c, ms), std::runtime_error);
  EXPECT_EQ(count(c, "SELECT count(*) FROM schema_migrations"), 1);
  EXPECT_EQ(count(c, "SELECT count(*) FROM pg_tables WHERE tablename = 'b'"), 0);
  pqxx::work tx(c);
  const Status st = status(tx, ms);
  EXPECT_EQ(st.pending, (std::vector<std::string>{"0002_bad.sql"}));
  EXPECT_FALSE(st.current());
}

TEST(Migrate, StatusReportsPendingAndUnknown) {
  testing::TestDatabase db(testing::TestDatabase::Schema::empty);
  pqxx::connection c(db.url());
  run(c, parse(Files{{"0001_a.sql", "SELECT 1;"}, {"0002_b.sql", "SELECT 2;"}}));
  pqxx::work tx(c);
  const Status st = status(tx, parse(Files{{"0001_a.sql", "SELECT 1;"}, {"0003_c.sql", "SELECT 3;"}}));
  EXPECT_EQ(st.pending, (std::vector<std::string>{"0003_c.sql"}));
  EXPECT_EQ(st.unknown, (std::vector<std::string>{"0002_b.sql"}));
  EXPECT_EQ(st.applied, 2u);
}

TEST(Migrate, EmbeddedSchemaAppliesToAnEmptyDatabase) {
  testing::TestDatabase db(testing::TestDatabase::Schema::empty);
  pqxx::connection c(db.url());
  run(c, embedded());
  for (const char* table :
       {"accounts", "users", "memberships", "integrations", "ad_spend", "orders", "order_refunds", "customers",
        "subscriptions", "stripe_events", "sync_runs", "api_keys", "audit_log", "fx_rates"}) {
    EXPECT_EQ(count(c, std::string("SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename = '") +
                           table + "'"),
              1)
        << table;
  }
}

TEST(Schema, EveryTenantTableHasAccountIdFirstInItsPrimaryKey) {
  testing::TestDatabase db;
  pqxx::connection c(db.url());
  pqxx::work tx(c);
  // Tables with an account_id column, and the first column of each one's primary key. Two are
  // found by their own id before any account is known, and are keyed by it: stripe_events (a
  // webhook) and jobs (a worker takes the next job of any account; docs/adr/0006-job-queue.md).
  const auto rows = tx.exec(R"sql(
    SELECT t.relname, a.attname
    FROM pg_class t
    JOIN pg_index i ON i.indrelid = t.oid AND i.indisprimary
    JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = i.indkey[0]
    WHERE t.relnamespace = 'public'::regnamespace AND t.relkind = 'r'
      AND EXISTS (SELECT 1 FROM pg_attribute x WHERE x.attrelid = t.oid AND x.attname = 'account_id')
      AND t.relname NOT IN ('stripe_events', 'jobs'))sql");
  ASSERT_GE(rows.size(), 10u);
  for (const auto& r : rows) EXPECT_EQ(r[1].as<std::string>(), "account_id") << r[0].as<std::string>();
}

TEST(Schema, MoneyColumnsAreBigintMinorUnits) {
  testing::TestDatabase db;
  pqxx::connection c(db.url());
  pqxx::work tx(c);
  const auto rows = tx.exec(R"sql(
    SELECT table_name, column_name, data_type FROM information_schema.columns
    WHERE table_schema = 'public' AND column_name LIKE '%\_minor')sql");
  ASSERT_GE(rows.size(), 8u);
  for (const auto& r : rows) {
    EXPECT_EQ(r[2].as<std::string>(), "bigint") << r[0].as<std::string>() << "." << r[1].as<std::string>();
  }
}

TEST(Schema, NaturalKeysRejectDuplicateOrdersWithinAnAccountOnly) {
  testing::TestDatabase db;
  pqxx::connection c(db.url());
  pqxx::work tx(c);
  tx.exec0(R"sql(
    INSERT INTO accounts (public_id, name) VALUES
      ('acct_AAAAAAAAAAAAAAAAAAAAAA', 'A'), ('acct_BBBBBBBBBBBBBBBBBBBBBB', 'B');
    INSERT INTO orders (account_id, public_id, platform, external_id, placed_at, currency, total_minor)
      SELECT id, 'ord_' || substr(md5(public_id), 1, 22), 'shopify', '1001', now(), 'USD', 1999 FROM accounts;)sql");
  EXPECT_THROW(tx.exec0(R"sql(
    INSERT INTO orders (account_id, public_id, platform, external_id, placed_at, currency, total_minor)
    SELECT id, 'ord_CCCCCCCCCCCCCCCCCCCCCC', 'shopify', '1001', now(), 'USD', 1 FROM accounts
    WHERE public_id = 'acct_AAAAAAAAAAAAAAAAAAAAAA')sql"),
               pqxx::unique_violation);
}

}  // namespace
}  // namespace otq::migrate
