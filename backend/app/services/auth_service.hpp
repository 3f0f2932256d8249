// Authentication and the tenant boundary: signup, login, token verification, account switching.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app/clock.hpp"
#include "app/db.hpp"
#include "app/models/account.hpp"
#include "app/models/role.hpp"
#include "app/models/scope.hpp"
#include "app/models/user.hpp"
#include "app/schemas/auth.hpp"
#include "app/security/jwt.hpp"

namespace otq::services {

/// Where a request came from, for throttling and the audit log.
struct RequestMeta {
  std::string request_id;
  std::optional<std::string> ip;
  std::optional<std::string> user_agent;
};

/// Who is calling, in which account, with which role. Built only by AuthGate after the token
/// verified and the membership was read from the database on this very request.
struct AuthContext {
  std::int64_t user_id;
  std::string user_public_id;
  models::AccountScope scope;
  std::string account_public_id;
  models::Role role;
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

class AuthGate {
 public:
  AuthGate(db::Pool& pool, security::JwtCodec jwt, int bcrypt_cost, Clock clock, ThrottleLimits limits = {});

  /// Creates user, account and owner membership in one transaction. Throws conflict when the
  /// email is taken, unprocessable for a weak password or unknown time zone, rate_limited.
  Session signup(const schemas::auth::SignupRequest& req, const RequestMeta& meta);

  /// Same answer and similar time for an unknown email and a wrong password.
  Session login(const schemas::auth::LoginRequest& req, const RequestMeta& meta);

  /// Verifies the token and re-reads the membership (a removed member is out at once).
  /// Throws unauthenticated.
  AuthContext authenticate(std::string_view token);

  /// A token for another account the user belongs to; not_found otherwise.
  Session switch_account(const AuthContext& ctx, const std::string& account_public_id, const RequestMeta& meta);

  Me me(const AuthContext& ctx);

 private:
  static models::AccountScope scope_of(std::int64_t account_id) { return models::AccountScope(account_id); }
  Session issue(const models::user::User& user, const models::account::Membership& m) const;
  void check_login_throttle(const std::string& email, const RequestMeta& meta);

  db::Pool& pool_;
  security::JwtCodec jwt_;
  int bcrypt_cost_;
  Clock clock_;
  ThrottleLimits limits_;
};

}  // namespace otq::services
