// The optional least-privilege role for n8n's Postgres node: upserts into ad_spend and orders
// work (and keep the rollups current); every other table, and deleting, is refused.
#include <gtest/gtest.h>
#include <pqxx/pqxx>

#include "tests/support/env.hpp"
#include "tests/support/pg.hpp"
#include "tests/support/process.hpp"

namespace otq::testing {
namespace {

TEST(N8nRole, WritesSpendAndOrdersAndNothingElse) {
  TestDatabase db;
  // As the database owner would: the script from n8n-flows/, through psql.
  ChildProcess psql("/usr/bin/psql",
                    {db.admin_url(), "-q", "-v", "password=n8n-test-password", "-f",
                     repo_dir() + "/n8n-flows/omnitrackiq_n8n_role.sql"},
                    {});
  ASSERT_EQ(psql.wait_exit(), 0) << psql.output();
  std::int64_t account = 0;
  {
    pqxx::connection owner(db.url());
    pqxx::work tx(owner);
    account = tx.exec1("INSERT INTO accounts (public_id, name) VALUES ('acct_" + std::string(22, 'n') +
                       "', 'n8n') RETURNING id")[0]
                  .as<std::int64_t>();
    tx.exec("INSERT INTO users (public_id, email) VALUES ('usr_" + std::string(22, 'n') + "', 'x@example.com')");
    tx.commit();
  }

  const std::string n8n_url = cluster_url(pg_data_dir(), db.name(), "omnitrackiq_n8n");
  pqxx::connection n8n(n8n_url);
  const std::string upsert_spend =
      "INSERT INTO ad_spend (account_id, platform, ad_account_id, campaign_id, date, currency, spend_minor) "
      "VALUES ($1, 'facebook_ads', 'act_1', 'c1', '2026-11-01', 'USD', $2) "
      "ON CONFLICT (account_id, platform, ad_account_id, campaign_id, date) "
      "DO UPDATE SET spend_minor = EXCLUDED.spend_minor";
  for (const int spend : {1000, 2500}) {  // the second run restates the day
    pqxx::work tx(n8n);
    tx.exec_params(upsert_spend, account, spend);
    tx.commit();
  }
  {
    pqxx::work tx(n8n);
    tx.exec_params(
        "INSERT INTO orders (account_id, platform, external_id, placed_at, currency, total_minor) "
        "VALUES ($1, 'shopify', '1001', '2026-11-01T12:00:00Z', 'USD', 9900) "
        "ON CONFLICT (account_id, platform, external_id) DO UPDATE SET total_minor = EXCLUDED.total_minor",
        account);
    tx.commit();
  }
  pqxx::connection owner(db.url());
  pqxx::nontransaction check(owner);
  EXPECT_EQ(check.exec_params1("SELECT spend_minor FROM rollup_spend_daily WHERE account_id = $1", account)[0]
                .as<std::int64_t>(),
            2500)
      << "the rollups followed, through the owner-run triggers";
  EXPECT_EQ(check.exec_params1("SELECT revenue_minor FROM rollup_orders_daily WHERE account_id = $1", account)[0]
                .as<std::int64_t>(),
            9900);
  const auto public_id = check.exec_params1("SELECT public_id FROM orders WHERE account_id = $1", account)[0];
  EXPECT_TRUE(public_id.as<std::string>().starts_with("ord_")) << "an opaque id by default";
  EXPECT_EQ(public_id.as<std::string>().size(), 26u);

  // Everything else: refused.
  for (const char* sql :
       {"SELECT email FROM users", "SELECT credentials_ciphertext FROM integrations", "SELECT * FROM api_keys",
        "INSERT INTO customers (account_id, platform, external_id) VALUES (1, 'shopify', 'c')", "DELETE FROM orders",
        "UPDATE accounts SET name = 'x'", "SELECT * FROM rollup_orders_daily"}) {
    pqxx::work tx(n8n);
    EXPECT_THROW(tx.exec(sql), pqxx::insufficient_privilege) << sql;
  }
}

}  // namespace
}  // namespace otq::testing
