// Accounts (tenants) and memberships (which user may act in which account, with which role).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <pqxx/pqxx>

#include "app/models/role.hpp"
#include "app/models/scope.hpp"

namespace otq::models::account {

struct Account {
  std::int64_t id = 0;
  std::string public_id;
  std::string name;
  std::string timezone;
  std::string currency;
  std::string plan;
};

struct Membership {
  Account account;
  Role role = Role::viewer;
};

Account insert(pqxx::transaction_base& tx, const std::string& name, const std::string& timezone,
               const std::string& currency);

/// Records that `client` is a client account of the agency account `parent_account_id`.
void set_parent(pqxx::transaction_base& tx, const AccountScope& client, std::int64_t parent_account_id);

void add_membership(pqxx::transaction_base& tx, std::int64_t account_id, std::int64_t user_id, Role role);

/// The user's membership of the account with this public id, if any. Used to authenticate every
/// request, so it is one indexed join.
std::optional<Membership> find_membership(pqxx::transaction_base& tx, std::int64_t user_id,
                                          const std::string& account_public_id);

/// What authenticating a token needs, in one round trip: the user's internal id and last password
/// change (epoch seconds, rounded up, 0 = never) and the membership of the token's account.
struct SessionRow {
  std::int64_t user_id = 0;
  std::int64_t password_changed_at = 0;
  Membership membership;
};
std::optional<SessionRow> find_session(pqxx::transaction_base& tx, const std::string& user_public_id,
                                       const std::string& account_public_id);

/// Every account the user belongs to, oldest membership first.
std::vector<Membership> list_memberships(pqxx::transaction_base& tx, std::int64_t user_id);

/// Changes the given fields (nullopt keeps a field) and returns the account.
Account update(pqxx::transaction_base& tx, const AccountScope& scope, const std::optional<std::string>& name,
               const std::optional<std::string>& timezone, const std::optional<std::string>& currency);

/// The scoped account itself.
Account find(pqxx::transaction_base& tx, const AccountScope& scope);

/// True when PostgreSQL knows the IANA time zone name (the same list AT TIME ZONE uses).
bool timezone_exists(pqxx::transaction_base& tx, const std::string& name);

}  // namespace otq::models::account
