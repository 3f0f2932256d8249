// TestDatabase: CREATE DATABASE ... TEMPLATE otq_template, DROP ... WITH (FORCE).
#include "tests/support/pg.hpp"

#include <pqxx/pqxx>

#include "app/security/random.hpp"
#include "tests/support/env.hpp"

namespace otq::testing {
namespace {
std::string trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}
}  // namespace

std::string cluster_url(const std::string& data_dir, const std::string& database, const std::string& user) {
  std::string url = trim(run_command(repo_dir() + "/scripts/pg-cluster.sh url '" + data_dir + "' " + database));
  if (user != "omnitrackiq") url.replace(url.find("user=omnitrackiq"), 16, "user=" + user);
  return url;
}

TestDatabase::TestDatabase(Schema schema) : name_("otq_t_" + security::random_hex(8)) {
  pqxx::connection admin(cluster_url(pg_data_dir(), "postgres", "postgres"));
  pqxx::nontransaction tx(admin);
  tx.exec0("CREATE DATABASE " + name_ + " OWNER omnitrackiq TEMPLATE " +
           (schema == Schema::migrated ? "otq_template" : "template0"));
  url_ = cluster_url(pg_data_dir(), name_);
}

TestDatabase::~TestDatabase() {
  try {
    pqxx::connection admin(cluster_url(pg_data_dir(), "postgres", "postgres"));
    pqxx::nontransaction tx(admin);
    tx.exec0("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
  } catch (...) {  // the cluster is destroyed at the end of the run anyway
  }
}

std::string TestDatabase::admin_url() const {
  return cluster_url(pg_data_dir(), name_, "postgres");
}

void TestDatabase::set_plan(const std::string& account_public_id, const std::string& plan) const {
  pqxx::connection c(url_);
  pqxx::work tx(c);
  if (tx.exec_params("UPDATE accounts SET plan = $2 WHERE public_id = $1", account_public_id, plan).affected_rows() !=
      1) {
    throw std::runtime_error("set_plan: no account " + account_public_id);
  }
  tx.commit();
}

void TestDatabase::add_member(const std::string& account_public_id, const std::string& user_public_id,
                              const std::string& role) const {
  pqxx::connection c(url_);
  pqxx::work tx(c);
  tx.exec_params1(
      "INSERT INTO memberships (account_id, user_id, role) SELECT a.id, u.id, $3 FROM accounts a, users u "
      "WHERE a.public_id = $1 AND u.public_id = $2 RETURNING 1",
      account_public_id, user_public_id, role);
  tx.commit();
}

std::int64_t TestDatabase::rollup_drift(std::int64_t account) const {
  pqxx::connection c(url_);
  pqxx::work tx(c);
  const char* tables[] = {"rollup_orders_daily", "rollup_refunds_daily", "rollup_repeat_daily", "rollup_spend_daily"};
  for (const auto* t : tables) {
    tx.exec0(std::string("CREATE TEMP TABLE before_") + t + " AS SELECT * FROM " + t +
             " WHERE account_id = " + std::to_string(account));
  }
  tx.exec_params("SELECT otq_rebuild_rollups($1)", account);
  std::int64_t drift = 0;
  for (const auto* t : tables) {
    const std::string now = std::string("(SELECT * FROM ") + t + " WHERE account_id = " + std::to_string(account) + ")";
    drift += tx.exec1(std::string("SELECT count(*) FROM ((TABLE before_") + t + " EXCEPT " + now + ") UNION ALL (" +
                      now + " EXCEPT TABLE before_" + t + ")) d")[0]
                 .as<std::int64_t>();
  }
  tx.abort();
  return drift;
}

}  // namespace otq::testing
