// Account settings and membership management inside the caller's account.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "app/db.hpp"
#include "app/models/account.hpp"
#include "app/models/audit.hpp"
#include "app/models/member.hpp"
#include "app/schemas/billing.hpp"
#include "app/security/sealer.hpp"
#include "app/services/auth_service.hpp"

namespace otq::services {

struct AccountChanges {
  std::optional<std::string> name;
  std::optional<std::string> timezone;
  std::optional<std::string> currency;
};

struct People {
  std::vector<models::member::Member> members;
  std::vector<models::member::Invitation> invitations;
};

struct AuditPage {
  std::vector<models::audit::Row> rows;
  std::optional<std::string> next_cursor;  ///< opaque (sealed); absent on the last page
};

class AccountService {
 public:
  /// `public_url` builds the links in invitation mails; `log_mail` prints them (development only);
  /// `cursors` seals pagination cursors so they reveal nothing and cannot be forged.
  AccountService(db::Pool& pool, std::string public_url, bool log_mail,
                 security::Sealer cursors = security::Sealer::with_random_key());

  models::account::Account update(const AuthContext& ctx, const AccountChanges& changes, const RequestMeta& meta);

  People people(const AuthContext& ctx);

  /// Creates a pending invitation (single-use token, stored hashed, 7 days) and queues the mail.
  /// Only an owner may invite an owner; an existing member or a pending invitation is a conflict.
  /// Members plus pending invitations are limited by the account's plan in `plans` (402).
  models::member::Invitation invite(const AuthContext& ctx, const std::string& email, models::Role role,
                                    const RequestMeta& meta, const schemas::billing::Catalog& plans);

  /// Admins change roles; only owners touch the owner role; the last owner cannot be demoted.
  models::member::Member change_role(const AuthContext& ctx, const std::string& user_public_id, models::Role role,
                                     const RequestMeta& meta);

  /// Admins remove members, anyone may leave; owners only by an owner; never the last owner.
  void remove(const AuthContext& ctx, const std::string& user_public_id, const RequestMeta& meta);

  void revoke_invitation(const AuthContext& ctx, const std::string& invitation_public_id, const RequestMeta& meta);

  /// The account's audit log, newest first; `limit` 1-200; invalid_argument for a bad cursor.
  AuditPage audit_log(const AuthContext& ctx, int limit, const std::optional<std::string>& cursor,
                      const std::optional<std::string>& action);

 private:
  db::Pool& pool_;
  std::string public_url_;
  bool log_mail_;
  security::Sealer cursors_;
};

}  // namespace otq::services
