// SQL for accounts and memberships.
#include "app/models/account.hpp"

#include "app/security/random.hpp"

namespace otq::models::account {
namespace {

constexpr const char* kInsert =
    "INSERT INTO accounts (public_id, name, timezone, currency) VALUES ($1, $2, $3, $4) "
    "RETURNING id, public_id, name, timezone, currency, plan";
constexpr const char* kAddMembership = "INSERT INTO memberships (account_id, user_id, role) VALUES ($1, $2, $3)";
constexpr const char* kFindMembership =
    "SELECT a.id, a.public_id, a.name, a.timezone, a.currency, a.plan, m.role "
    "FROM accounts a JOIN memberships m ON m.account_id = a.id "
    "WHERE a.public_id = $1 AND m.user_id = $2";
constexpr const char* kFindSession =
    "SELECT a.id, a.public_id, a.name, a.timezone, a.currency, a.plan, m.role, u.id, "
    "coalesce(ceil(extract(epoch FROM u.password_changed_at)), 0)::bigint "
    "FROM users u JOIN memberships m ON m.user_id = u.id JOIN accounts a ON a.id = m.account_id "
    "WHERE u.public_id = $1 AND a.public_id = $2";
constexpr const char* kListMemberships =
    "SELECT a.id, a.public_id, a.name, a.timezone, a.currency, a.plan, m.role "
    "FROM memberships m JOIN accounts a ON a.id = m.account_id "
    "WHERE m.user_id = $1 ORDER BY m.created_at, a.id";
constexpr const char* kFind = "SELECT id, public_id, name, timezone, currency, plan FROM accounts WHERE id = $1";
constexpr const char* kUpdate =
    "UPDATE accounts SET name = coalesce($2, name), timezone = coalesce($3, timezone), "
    "currency = coalesce($4, currency) WHERE id = $1 RETURNING id, public_id, name, timezone, currency, plan";
// pg_timezone_names reads the zone files on every call (~10 ms); lookups are rare (signup, settings).
constexpr const char* kTimezoneExists = "SELECT EXISTS (SELECT 1 FROM pg_timezone_names WHERE name = $1)";

Account account_from(const pqxx::row& r) {
  return Account{r[0].as<std::int64_t>(), r[1].as<std::string>(), r[2].as<std::string>(),
                 r[3].as<std::string>(),  r[4].as<std::string>(), r[5].as<std::string>()};
}

Membership membership_from(const pqxx::row& r) {
  return Membership{account_from(r), parse_role(r[6].as<std::string>()).value_or(Role::viewer)};
}

}  // namespace

Account insert(pqxx::transaction_base& tx, const std::string& name, const std::string& timezone,
               const std::string& currency) {
  return account_from(tx.exec_params1(kInsert, security::new_public_id("acct"), name, timezone, currency));
}

void set_parent(pqxx::transaction_base& tx, const AccountScope& client, std::int64_t parent_account_id) {
  tx.exec_params("UPDATE accounts SET parent_account_id = $2 WHERE id = $1", client.account_id(), parent_account_id);
}

void add_membership(pqxx::transaction_base& tx, std::int64_t account_id, std::int64_t user_id, Role role) {
  tx.exec_params0(kAddMembership, account_id, user_id, std::string(role_name(role)));
}

std::optional<Membership> find_membership(pqxx::transaction_base& tx, std::int64_t user_id,
                                          const std::string& account_public_id) {
  const auto rows = tx.exec_params(kFindMembership, account_public_id, user_id);
  if (rows.empty()) return std::nullopt;
  return membership_from(rows[0]);
}

std::optional<SessionRow> find_session(pqxx::transaction_base& tx, const std::string& user_public_id,
                                       const std::string& account_public_id) {
  // Every authenticated request runs this: prepared once per connection, no planning after that.
  tx.conn().prepare("account_find_session", kFindSession);
  const auto rows = tx.exec_prepared("account_find_session", user_public_id, account_public_id);
  if (rows.empty()) return std::nullopt;
  return SessionRow{rows[0][7].as<std::int64_t>(), rows[0][8].as<std::int64_t>(), membership_from(rows[0])};
}

std::vector<Membership> list_memberships(pqxx::transaction_base& tx, std::int64_t user_id) {
  std::vector<Membership> out;
  for (const auto& r : tx.exec_params(kListMemberships, user_id)) out.push_back(membership_from(r));
  return out;
}

Account update(pqxx::transaction_base& tx, const AccountScope& scope, const std::optional<std::string>& name,
               const std::optional<std::string>& timezone, const std::optional<std::string>& currency) {
  return account_from(tx.exec_params1(kUpdate, scope.account_id(), name, timezone, currency));
}

Account find(pqxx::transaction_base& tx, const AccountScope& scope) {
  return account_from(tx.exec_params1(kFind, scope.account_id()));
}

bool timezone_exists(pqxx::transaction_base& tx, const std::string& name) {
  return tx.exec_params1(kTimezoneExists, name)[0].as<bool>();
}

}  // namespace otq::models::account
