// The people of one account: memberships with their users, and pending invitations.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <pqxx/pqxx>

#include "app/models/role.hpp"
#include "app/models/scope.hpp"

namespace otq::models::member {

struct Member {
  std::int64_t user_id = 0;  ///< internal; never serialised
  std::string user_public_id;
  std::string email;
  std::optional<std::string> name;
  Role role = Role::viewer;
  std::string joined_at;  ///< RFC 3339 UTC
};

std::vector<Member> list(pqxx::transaction_base& tx, const AccountScope& scope);
std::optional<Member> find(pqxx::transaction_base& tx, const AccountScope& scope, const std::string& user_public_id);
bool is_member_by_email(pqxx::transaction_base& tx, const AccountScope& scope, const std::string& email);
/// Owners of the account, counted under a row lock so two concurrent demotions cannot both pass.
std::int64_t lock_and_count_owners(pqxx::transaction_base& tx, const AccountScope& scope);
void set_role(pqxx::transaction_base& tx, const AccountScope& scope, std::int64_t user_id, Role role);
void remove(pqxx::transaction_base& tx, const AccountScope& scope, std::int64_t user_id);

struct Invitation {
  std::string public_id;
  std::string email;
  Role role = Role::viewer;
  std::string created_at;
  std::string expires_at;
};

Invitation invite(pqxx::transaction_base& tx, const AccountScope& scope, const std::string& email, Role role,
                  const std::string& token_hash_hex, std::int64_t invited_by, int valid_days);
std::vector<Invitation> list_pending(pqxx::transaction_base& tx, const AccountScope& scope);
/// Whether `email` has an invitation that can still be accepted. An expired one is revoked on the
/// way (it would otherwise block a new invitation while no longer shown anywhere).
bool has_pending_invitation(pqxx::transaction_base& tx, const AccountScope& scope, const std::string& email);
bool revoke_invitation(pqxx::transaction_base& tx, const AccountScope& scope, const std::string& public_id);

/// A pending, unexpired invitation by its token hash. Unscoped on purpose: the token is the
/// capability that names the account (services::AuthGate is the only caller).
struct PendingInvitation {
  std::int64_t account_id = 0;
  std::int64_t invitation_id = 0;
  std::string email;
  Role role = Role::viewer;
};
std::optional<PendingInvitation> find_pending_by_token_hash(pqxx::transaction_base& tx, const std::string& hash_hex);
void mark_accepted(pqxx::transaction_base& tx, const AccountScope& scope, std::int64_t invitation_id);

/// Queues a mail in outbox_emails (same transaction as the change that causes it).
void enqueue_mail(pqxx::transaction_base& tx, const std::string& to, const std::string& subject,
                  const std::string& body);

}  // namespace otq::models::member
