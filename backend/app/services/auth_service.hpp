// Authentication and the tenant boundary: signup, login, token verification, account switching.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app/clock.hpp"
#include "app/db.hpp"
#include "app/models/account.hpp"
#include "app/models/api_key.hpp"
#include "app/models/role.hpp"
#include "app/models/scope.hpp"
#include "app/models/user.hpp"
#include "app/schemas/auth.hpp"
#include "app/schemas/billing.hpp"
#include "app/security/jwt.hpp"

namespace otq::services {

/// Where a request came from, for throttling and the audit log.
struct RequestMeta {
  std::string request_id;
  std::optional<std::string> ip;
  std::optional<std::string> user_agent;
};

enum class Principal { user, api_key };

/// Who is calling, in which account, with which role. Built only by AuthGate after the token
/// verified and the membership (or the API key) was read from the database on this very request.
struct AuthContext {
  Principal principal;
  std::int64_t user_id;        ///< 0 for an API key
  std::string user_public_id;  ///< empty for an API key
  models::AccountScope scope;
  std::string account_public_id;
  models::Role role;         ///< a `read` key acts as a viewer, an `ingest` key as an analyst
  std::string api_key_role;  ///< "read" or "ingest" for keys, empty for users
};

/// A key as created: the plaintext is in this object and nowhere else, ever.
struct CreatedApiKey {
  models::api_key::ApiKey key;
  std::string plaintext;
};

/// A new session: the token and what the client shows.
struct Session {
  std::string access_token;
  std::int64_t expires_in = 0;
  models::user::User user;
  models::account::Membership membership;
};

struct Me {
  models::user::User user;
  models::account::Membership current;
  std::vector<models::account::Membership> accounts;
};

/// Throttling limits, per 15-minute window (docs/security.md).
struct ThrottleLimits {
  int window_seconds = 15 * 60;
  int failures_per_email_and_ip = 10;
  int failures_per_email = 100;
  int logins_per_ip = 300;
  int signups_per_ip = 20;
};

/// Links in mails, and whether to print them (development only: they carry single-use tokens).
struct MailSettings {
  std::string public_url = "http://localhost:8080";
  bool log_links = false;
};

class AuthGate {
 public:
  AuthGate(db::Pool& pool, security::JwtCodec jwt, int bcrypt_cost, Clock clock, ThrottleLimits limits = {},
           MailSettings mail = {});

  /// Creates user, account and owner membership in one transaction. Throws conflict when the
  /// email is taken, unprocessable for a weak password or unknown time zone, rate_limited.
  Session signup(const schemas::auth::SignupRequest& req, const RequestMeta& meta);

  /// Same answer and similar time for an unknown email and a wrong password.
  Session login(const schemas::auth::LoginRequest& req, const RequestMeta& meta);

  /// Verifies the token and re-reads the membership (a removed member is out at once).
  /// Throws unauthenticated.
  /// An `otq_live_` API key is accepted the same way.
  AuthContext authenticate(std::string_view token);

  /// A token for another account the user belongs to; not_found otherwise.
  Session switch_account(const AuthContext& ctx, const std::string& account_public_id, const RequestMeta& meta);

  Me me(const AuthContext& ctx);

  /// A client account of the caller's account, with the caller as owner (agencies run many; the
  /// caller's plan in `plans` says how many, 402 beyond). The caller's token is unchanged;
  /// switch-account moves into the new one.
  models::account::Membership create_account(const AuthContext& ctx, const std::string& name,
                                             const std::optional<std::string>& timezone,
                                             const std::optional<std::string>& currency, const RequestMeta& meta,
                                             const schemas::billing::Catalog& plans);

  /// Joins the account of a pending invitation addressed to the caller's email. not_found for an
  /// unknown, used, expired or revoked token, and for someone else's invitation.
  models::account::Membership accept_invitation(const AuthContext& ctx, const std::string& token,
                                                const RequestMeta& meta);

  /// The caller's account with the caller's role.
  models::account::Membership current_account(const AuthContext& ctx);

  /// Checks the current password, stores the new one and returns a fresh session; every other
  /// token of the user stops working.
  Session change_password(const AuthContext& ctx, const std::string& current_password, const std::string& new_password,
                          const RequestMeta& meta);

  /// Mails a single-use reset link (30 minutes) if the email belongs to a user; the caller's answer
  /// is the same either way. Throttled per address and per email.
  void request_password_reset(const std::string& email, const RequestMeta& meta);

  /// Sets the new password from a reset token; ends every session. unprocessable for an invalid,
  /// used or expired token or a weak password.
  void confirm_password_reset(const std::string& token, const std::string& new_password, const RequestMeta& meta);

  CreatedApiKey create_api_key(const AuthContext& ctx, const std::string& name, const std::string& role,
                               const RequestMeta& meta);
  std::vector<models::api_key::ApiKey> list_api_keys(const AuthContext& ctx);
  /// not_found when the account has no such active key.
  void revoke_api_key(const AuthContext& ctx, const std::string& key_public_id, const RequestMeta& meta);

 private:
  static models::AccountScope scope_of(std::int64_t account_id) { return models::AccountScope(account_id); }
  Session issue(const models::user::User& user, const models::account::Membership& m) const;
  AuthContext authenticate_api_key(std::string_view key);
  void check_login_throttle(const std::string& email, const RequestMeta& meta);

  db::Pool& pool_;
  security::JwtCodec jwt_;
  int bcrypt_cost_;
  Clock clock_;
  ThrottleLimits limits_;
  MailSettings mail_;
};

}  // namespace otq::services
