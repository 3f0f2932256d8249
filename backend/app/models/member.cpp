// SQL for memberships, invitations and the mail outbox.
#include "app/models/member.hpp"

#include "app/security/random.hpp"

namespace otq::models::member {
namespace {

constexpr const char* kList =
    "SELECT u.id, u.public_id, u.email, u.name, m.role, "
    "to_char(m.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') "
    "FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.account_id = $1 ORDER BY m.created_at, u.id";
constexpr const char* kFind =
    "SELECT u.id, u.public_id, u.email, u.name, m.role, "
    "to_char(m.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') "
    "FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.account_id = $1 AND u.public_id = $2";
constexpr const char* kIsMemberByEmail =
    "SELECT EXISTS (SELECT 1 FROM memberships m JOIN users u ON u.id = m.user_id "
    "WHERE m.account_id = $1 AND lower(u.email) = lower($2))";
constexpr const char* kLockOwners =
    "SELECT count(*) FROM (SELECT 1 FROM memberships WHERE account_id = $1 AND role = 'owner' FOR UPDATE) o";
constexpr const char* kSetRole = "UPDATE memberships SET role = $3 WHERE account_id = $1 AND user_id = $2";
constexpr const char* kRemove = "DELETE FROM memberships WHERE account_id = $1 AND user_id = $2";
constexpr const char* kInvitationColumns =
    "public_id, email, role, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), "
    "to_char(expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')";
const std::string kInvite =
    std::string(
        "INSERT INTO invitations (account_id, public_id, email, role, token_hash, invited_by, expires_at) "
        "VALUES ($1, $2, $3, $4, decode($5, 'hex'), $6, now() + make_interval(days => $7)) RETURNING ") +
    kInvitationColumns;
const std::string kListPending =
    std::string("SELECT ") + kInvitationColumns +
    " FROM invitations WHERE account_id = $1 AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > now() "
    "ORDER BY created_at DESC";
constexpr const char* kRetireExpired =
    "UPDATE invitations SET revoked_at = now() WHERE account_id = $1 AND lower(email) = lower($2) "
    "AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at <= now()";
constexpr const char* kHasPending =
    "SELECT EXISTS (SELECT 1 FROM invitations WHERE account_id = $1 AND lower(email) = lower($2) "
    "AND accepted_at IS NULL AND revoked_at IS NULL)";
constexpr const char* kRevokeInvitation =
    "UPDATE invitations SET revoked_at = now() WHERE account_id = $1 AND public_id = $2 "
    "AND accepted_at IS NULL AND revoked_at IS NULL";
constexpr const char* kFindPending =
    "SELECT account_id, id, email, role FROM invitations WHERE token_hash = decode($1, 'hex') "
    "AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > now() FOR UPDATE";
constexpr const char* kMarkAccepted = "UPDATE invitations SET accepted_at = now() WHERE account_id = $1 AND id = $2";
constexpr const char* kEnqueueMail = "INSERT INTO outbox_emails (to_email, subject, body_text) VALUES ($1, $2, $3)";

Member member_from(const pqxx::row& r) {
  Member m;
  m.user_id = r[0].as<std::int64_t>();
  m.user_public_id = r[1].as<std::string>();
  m.email = r[2].as<std::string>();
  if (!r[3].is_null()) m.name = r[3].as<std::string>();
  m.role = parse_role(r[4].as<std::string>()).value_or(Role::viewer);
  m.joined_at = r[5].as<std::string>();
  return m;
}

Invitation invitation_from(const pqxx::row& r) {
  return Invitation{r[0].as<std::string>(), r[1].as<std::string>(),
                    parse_role(r[2].as<std::string>()).value_or(Role::viewer), r[3].as<std::string>(),
                    r[4].as<std::string>()};
}

}  // namespace

std::vector<Member> list(pqxx::transaction_base& tx, const AccountScope& scope) {
  std::vector<Member> out;
  for (const auto& r : tx.exec_params(kList, scope.account_id())) out.push_back(member_from(r));
  return out;
}

std::optional<Member> find(pqxx::transaction_base& tx, const AccountScope& scope, const std::string& user_public_id) {
  const auto rows = tx.exec_params(kFind, scope.account_id(), user_public_id);
  if (rows.empty()) return std::nullopt;
  return member_from(rows[0]);
}

bool is_member_by_email(pqxx::transaction_base& tx, const AccountScope& scope, const std::string& email) {
  return tx.exec_params1(kIsMemberByEmail, scope.account_id(), email)[0].as<bool>();
}

std::int64_t lock_and_count_owners(pqxx::transaction_base& tx, const AccountScope& scope) {
  return tx.exec_params1(kLockOwners, scope.account_id())[0].as<std::int64_t>();
}

void set_role(pqxx::transaction_base& tx, const AccountScope& scope, std::int64_t user_id, Role role) {
  tx.exec_params0(kSetRole, scope.account_id(), user_id, std::string(role_name(role)));
}

void remove(pqxx::transaction_base& tx, const AccountScope& scope, std::int64_t user_id) {
  tx.exec_params0(kRemove, scope.account_id(), user_id);
}

Invitation invite(pqxx::transaction_base& tx, const AccountScope& scope, const std::string& email, Role role,
                  const std::string& token_hash_hex, std::int64_t invited_by, int valid_days) {
  return invitation_from(tx.exec_params1(kInvite, scope.account_id(), security::new_public_id("inv"), email,
                                         std::string(role_name(role)), token_hash_hex, invited_by, valid_days));
}

std::vector<Invitation> list_pending(pqxx::transaction_base& tx, const AccountScope& scope) {
  std::vector<Invitation> out;
  for (const auto& r : tx.exec_params(kListPending, scope.account_id())) out.push_back(invitation_from(r));
  return out;
}

bool has_pending_invitation(pqxx::transaction_base& tx, const AccountScope& scope, const std::string& email) {
  tx.exec_params0(kRetireExpired, scope.account_id(), email);
  return tx.exec_params1(kHasPending, scope.account_id(), email)[0].as<bool>();
}

bool revoke_invitation(pqxx::transaction_base& tx, const AccountScope& scope, const std::string& public_id) {
  return tx.exec_params(kRevokeInvitation, scope.account_id(), public_id).affected_rows() == 1;
}

std::optional<PendingInvitation> find_pending_by_token_hash(pqxx::transaction_base& tx, const std::string& hash_hex) {
  const auto rows = tx.exec_params(kFindPending, hash_hex);
  if (rows.empty()) return std::nullopt;
  const auto& r = rows[0];
  return PendingInvitation{r[0].as<std::int64_t>(), r[1].as<std::int64_t>(), r[2].as<std::string>(),
                           parse_role(r[3].as<std::string>()).value_or(Role::viewer)};
}

void mark_accepted(pqxx::transaction_base& tx, const AccountScope& scope, std::int64_t invitation_id) {
  tx.exec_params0(kMarkAccepted, scope.account_id(), invitation_id);
}

void enqueue_mail(pqxx::transaction_base& tx, const std::string& to, const std::string& subject,
                  const std::string& body) {
  tx.exec_params0(kEnqueueMail, to, subject, body);
}

}  // namespace otq::models::member
