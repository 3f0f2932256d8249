// AuthGate. bcrypt runs between transactions, never inside one: a 170 ms hash must not hold a
// pooled connection.
#include "app/services/auth_service.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "app/errors.hpp"
#include "app/logging.hpp"
#include "app/models/audit.hpp"
#include "app/models/auth_attempt.hpp"
#include "app/models/member.hpp"
#include "app/security/digest.hpp"
#include "app/security/password.hpp"
#include "app/security/random.hpp"
#include "app/services/plan_limits.hpp"

namespace otq::services {
namespace {

constexpr std::string_view kBadCredentials = "Email or password is incorrect.";
constexpr std::string_view kBadSession = "Your session is invalid or has expired; log in again.";
constexpr std::string_view kApiKeyPrefix = "otq_live_";
constexpr std::size_t kApiKeyRandomChars = 32;  // base62: ~190 bits

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

std::int64_t epoch_seconds(std::chrono::system_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

models::audit::Entry audit_entry(std::string action, std::int64_t user_id, const RequestMeta& meta) {
  models::audit::Entry e;
  e.action = std::move(action);
  e.actor_user_id = user_id;
  e.request_id = meta.request_id;
  e.ip = meta.ip;
  e.user_agent = meta.user_agent;
  return e;
}

}  // namespace

AuthGate::AuthGate(db::Pool& pool, security::JwtCodec jwt, int bcrypt_cost, Clock clock, ThrottleLimits limits,
                   MailSettings mail)
    : pool_(pool),
      jwt_(std::move(jwt)),
      bcrypt_cost_(bcrypt_cost),
      clock_(std::move(clock)),
      limits_(limits),
      mail_(std::move(mail)) {}

Session AuthGate::issue(const models::user::User& user, const models::account::Membership& m) const {
  // Never before the last password change, or the new token would be refused with the old ones.
  const auto not_before = std::chrono::system_clock::time_point(std::chrono::seconds(user.password_changed_at));
  return Session{
      jwt_.issue(user.public_id, m.account.public_id, models::role_name(m.role), std::max(clock_(), not_before)),
      security::kTokenLifetime.count(), user, m};
}

Session AuthGate::signup(const schemas::auth::SignupRequest& req, const RequestMeta& meta) {
  if (auto problem = security::password_problem(req.password, req.email)) {
    throw Error(ErrorCode::unprocessable, *problem);
  }
  const std::string email_key = lower(req.email);
  const std::string timezone = req.timezone.value_or("UTC");
  const std::string currency = req.currency.value_or("USD");
  pool_.read([&](pqxx::read_transaction& tx) {
    const auto counts = models::auth_attempt::count_recent(tx, "signup", email_key, meta.ip, limits_.window_seconds);
    if (counts.attempts_for_ip >= limits_.signups_per_ip) {
      throw Error(ErrorCode::rate_limited, "Too many signups from your network; try again later.")
          .retry_after(limits_.window_seconds);
    }
    if (!models::account::timezone_exists(tx, timezone)) {
      throw Error(ErrorCode::unprocessable,
                  fmt::format("Unknown time zone '{}'; use an IANA name such as Europe/Berlin.", timezone));
    }
  });

  const std::string hash = security::hash_password(req.password, bcrypt_cost_);
  try {
    return pool_.transact([&](pqxx::work& tx) {
      const auto user = models::user::insert(tx, req.email, req.name, hash);
      const auto account = models::account::insert(tx, req.account_name, timezone, currency);
      models::account::add_membership(tx, account.id, user.id, models::Role::owner);
      models::auth_attempt::record(tx, "signup", email_key, meta.ip, true);
      auto entry = audit_entry("auth.signup", user.id, meta);
      entry.target_type = "user";
      entry.target_id = user.public_id;
      models::audit::record(tx, scope_of(account.id), entry);
      return issue(user, models::account::Membership{account, models::Role::owner});
    });
  } catch (const pqxx::unique_violation&) {
    pool_.transact([&](pqxx::work& tx) { models::auth_attempt::record(tx, "signup", email_key, meta.ip, false); });
    // Said plainly (docs/security.md "Account enumeration"): signup is throttled per IP.
    throw Error(ErrorCode::conflict, "An account with this email already exists; log in or reset your password.");
  }
}

void AuthGate::check_login_throttle(const std::string& email_key, const RequestMeta& meta) {
  const auto counts = pool_.read([&](pqxx::read_transaction& tx) {
    return models::auth_attempt::count_recent(tx, "login", email_key, meta.ip, limits_.window_seconds);
  });
  int retry_after = 0;
  // The per-address cap counts every attempt, successful ones too: the message says which limit.
  std::string message = "Too many failed logins; wait before trying again.";
  if (counts.failures_for_email_and_ip >= limits_.failures_per_email_and_ip) {
    retry_after = static_cast<int>(counts.oldest_failure_epoch + limits_.window_seconds - epoch_seconds(clock_()));
  } else if (counts.failures_for_email >= limits_.failures_per_email) {
    retry_after = limits_.window_seconds;
  } else if (counts.attempts_for_ip >= limits_.logins_per_ip) {
    retry_after = limits_.window_seconds;
    message = "Too many logins from this network address; wait before trying again.";
  } else {
    return;
  }
  log::warn("login_throttled", {{"ip", meta.ip.value_or("")}});
  throw Error(ErrorCode::rate_limited, message).retry_after(std::clamp(retry_after, 1, limits_.window_seconds));
}

Session AuthGate::login(const schemas::auth::LoginRequest& req, const RequestMeta& meta) {
  const std::string email_key = lower(req.email);
  check_login_throttle(email_key, meta);
  const auto user = pool_.read([&](pqxx::read_transaction& tx) { return models::user::find_by_email(tx, req.email); });

  const bool ok = user && user->password_hash && security::verify_password(req.password, *user->password_hash);
  if (!user || !user->password_hash) security::verify_password_dummy(req.password, bcrypt_cost_);

  return pool_.transact([&](pqxx::work& tx) -> Session {
    models::auth_attempt::record(tx, "login", email_key, meta.ip, ok);
    const auto memberships =
        user ? models::account::list_memberships(tx, user->id) : std::vector<models::account::Membership>{};
    if (!ok) {
      if (!memberships.empty()) {
        models::audit::record(tx, scope_of(memberships.front().account.id),
                              audit_entry("auth.login_failed", user->id, meta));
      }
      tx.commit();  // the failed attempt must count even though we throw
      throw Error(ErrorCode::unauthenticated, std::string(kBadCredentials));
    }
    if (memberships.empty()) {
      tx.commit();
      throw Error(ErrorCode::forbidden, "Your user belongs to no account; ask an owner to invite you.");
    }
    models::user::set_last_login(tx, user->id);
    models::audit::record(tx, scope_of(memberships.front().account.id), audit_entry("auth.login", user->id, meta));
    return issue(*user, memberships.front());
  });
}

AuthContext AuthGate::authenticate(std::string_view token) {
  if (token.starts_with(kApiKeyPrefix)) return authenticate_api_key(token);
  const auto verified = jwt_.verify(token, clock_());
  if (!verified.claims) {
    log::info("token_rejected", {{"reason", security::token_error_name(*verified.error)}});
    throw Error(ErrorCode::unauthenticated, std::string(kBadSession));
  }
  const auto& claims = *verified.claims;
  const auto session =
      pool_.once([&](pqxx::nontransaction& tx) { return models::account::find_session(tx, claims.sub, claims.acc); });
  if (!session || claims.iat < session->password_changed_at) {
    throw Error(ErrorCode::unauthenticated, std::string(kBadSession),
                "user gone, no longer a member of the token's account, or password changed");
  }
  // The role comes from the database, not the token: a demotion applies to the next request.
  return AuthContext{Principal::user,
                     session->user_id,
                     claims.sub,
                     scope_of(session->membership.account.id),
                     session->membership.account.public_id,
                     session->membership.role,
                     ""};
}

Session AuthGate::switch_account(const AuthContext& ctx, const std::string& account_public_id,
                                 const RequestMeta& meta) {
  return pool_.transact([&](pqxx::work& tx) {
    const auto membership = models::account::find_membership(tx, ctx.user_id, account_public_id);
    // 404, never 403: whether another tenant's account exists is none of the caller's business.
    if (!membership) throw Error(ErrorCode::not_found, "No such account.");
    const auto user = models::user::find_by_public_id(tx, ctx.user_public_id);
    if (!user) throw Error(ErrorCode::unauthenticated, std::string(kBadSession));
    auto entry = audit_entry("auth.switch_account", ctx.user_id, meta);
    entry.metadata = {{"from_account", ctx.account_public_id}};
    models::audit::record(tx, scope_of(membership->account.id), entry);
    return issue(*user, *membership);
  });
}

AuthContext AuthGate::authenticate_api_key(std::string_view key) {
  const std::string hash = security::sha256_hex(key);
  return pool_.transact([&](pqxx::work& tx) {
    const auto holder = models::api_key::find_active_by_hash(tx, hash);
    if (!holder) throw Error(ErrorCode::unauthenticated, "This API key is invalid or has been revoked.");
    models::api_key::touch(tx, holder->key_id);
    // A read key acts as a viewer; an ingest key writes data, as an analyst may (and only on the
    // ingest routes: deps::require keeps keys off every other route).
    const models::Role role = holder->role == "ingest" ? models::Role::analyst : models::Role::viewer;
    return AuthContext{Principal::api_key,        0,    "",          scope_of(holder->account_id),
                       holder->account_public_id, role, holder->role};
  });
}

Session AuthGate::change_password(const AuthContext& ctx, const std::string& current_password,
                                  const std::string& new_password, const RequestMeta& meta) {
  const auto user =
      pool_.read([&](pqxx::read_transaction& tx) { return models::user::find_by_public_id(tx, ctx.user_public_id); });
  if (!user) throw Error(ErrorCode::unauthenticated, std::string(kBadSession));
  if (!user->password_hash || !security::verify_password(current_password, *user->password_hash)) {
    throw Error(ErrorCode::unprocessable, "The current password is not correct.");
  }
  if (auto problem = security::password_problem(new_password, user->email)) {
    throw Error(ErrorCode::unprocessable, *problem);
  }
  const std::string hash = security::hash_password(new_password, bcrypt_cost_);
  return pool_.transact([&](pqxx::work& tx) {
    const auto updated = models::user::set_password(tx, user->id, hash);
    const auto membership = models::account::find_membership(tx, user->id, ctx.account_public_id);
    if (!membership) throw Error(ErrorCode::unauthenticated, std::string(kBadSession));
    models::audit::record(tx, ctx.scope, audit_entry("auth.password_change", user->id, meta));
    return issue(updated, *membership);
  });
}

void AuthGate::request_password_reset(const std::string& email, const RequestMeta& meta) {
  constexpr int kResetMinutes = 30;
  constexpr int kResetsPerEmail = 5;
  const std::string email_key = lower(email);
  const std::string token = security::random_base62(43);
  pool_.transact([&](pqxx::work& tx) {
    const auto counts =
        models::auth_attempt::count_recent(tx, "password_reset", email_key, meta.ip, limits_.window_seconds);
    if (counts.attempts_for_ip >= limits_.signups_per_ip || counts.failures_for_email >= kResetsPerEmail) {
      throw Error(ErrorCode::rate_limited, "Too many reset requests; try again later.")
          .retry_after(limits_.window_seconds);
    }
    // Counted as "failures" per email so the per-email cap applies whether or not the user exists.
    models::auth_attempt::record(tx, "password_reset", email_key, meta.ip, false);
    const auto user = models::user::find_by_email(tx, email);
    if (!user) return;
    models::user::insert_password_reset(tx, user->id, security::sha256_hex(token), kResetMinutes);
    const std::string link = fmt::format("{}/reset-password?token={}", mail_.public_url, token);
    models::member::enqueue_mail(
        tx, user->email, "Reset your OmniTrackIQ password",
        fmt::format("Someone asked to reset the password of {}.\n\nIf it was you, choose a new "
                    "password within {} minutes: {}\n\nIf not, ignore this mail.\n",
                    user->email, kResetMinutes, link));
    if (mail_.log_links) log::info("dev_mail_queued", {{"to", user->email}, {"link", link}});  // --dev only
  });
}

void AuthGate::confirm_password_reset(const std::string& token, const std::string& new_password,
                                      const RequestMeta& meta) {
  const auto user = pool_.transact([&](pqxx::work& tx) -> std::optional<models::user::User> {
    const auto user_id = models::user::claim_password_reset(tx, security::sha256_hex(token));
    if (!user_id) return std::nullopt;
    return models::user::find_by_id(tx, *user_id);
  });
  if (!user) throw Error(ErrorCode::unprocessable, "This reset link is invalid, used or expired; request a new one.");
  if (auto problem = security::password_problem(new_password, user->email)) {
    throw Error(ErrorCode::unprocessable, *problem);
  }
  const std::string hash = security::hash_password(new_password, bcrypt_cost_);
  pool_.transact([&](pqxx::work& tx) {
    // Claimed again under lock: two concurrent confirmations cannot both succeed.
    if (models::user::claim_password_reset(tx, security::sha256_hex(token)) != user->id) {
      throw Error(ErrorCode::unprocessable, "This reset link is invalid, used or expired; request a new one.");
    }
    models::user::set_password(tx, user->id, hash);
    models::user::use_password_resets(tx, user->id);
    for (const auto& m : models::account::list_memberships(tx, user->id)) {
      models::audit::record(tx, scope_of(m.account.id), audit_entry("auth.password_reset", user->id, meta));
    }
  });
}

CreatedApiKey AuthGate::create_api_key(const AuthContext& ctx, const std::string& name, const std::string& role,
                                       const RequestMeta& meta) {
  const std::string plaintext = std::string(kApiKeyPrefix) + security::random_base62(kApiKeyRandomChars);
  return pool_.transact([&](pqxx::work& tx) {
    auto key = models::api_key::insert(tx, ctx.scope, name, role, security::sha256_hex(plaintext),
                                       plaintext.substr(0, kApiKeyPrefix.size() + 4), ctx.user_id);
    auto entry = audit_entry("api_key.create", ctx.user_id, meta);
    entry.target_type = "api_key";
    entry.target_id = key.public_id;
    entry.metadata = {{"name", name}, {"role", role}};
    models::audit::record(tx, ctx.scope, entry);
    return CreatedApiKey{std::move(key), plaintext};
  });
}

std::vector<models::api_key::ApiKey> AuthGate::list_api_keys(const AuthContext& ctx) {
  return pool_.read([&](pqxx::read_transaction& tx) { return models::api_key::list_active(tx, ctx.scope); });
}

void AuthGate::revoke_api_key(const AuthContext& ctx, const std::string& key_public_id, const RequestMeta& meta) {
  pool_.transact([&](pqxx::work& tx) {
    if (!models::api_key::revoke(tx, ctx.scope, key_public_id)) throw Error(ErrorCode::not_found, "No such API key.");
    auto entry = audit_entry("api_key.revoke", ctx.user_id, meta);
    entry.target_type = "api_key";
    entry.target_id = key_public_id;
    models::audit::record(tx, ctx.scope, entry);
  });
}

models::account::Membership AuthGate::create_account(const AuthContext& ctx, const std::string& name,
                                                     const std::optional<std::string>& timezone,
                                                     const std::optional<std::string>& currency,
                                                     const RequestMeta& meta, const schemas::billing::Catalog& plans) {
  if (currency && !schemas::auth::is_iso4217(*currency)) {
    throw Error(ErrorCode::unprocessable, "Currency must be an ISO 4217 code such as USD or EUR.");
  }
  return pool_.transact([&](pqxx::work& tx) {
    const std::string tz = timezone.value_or("UTC");
    if (!models::account::timezone_exists(tx, tz)) {
      throw Error(ErrorCode::unprocessable,
                  fmt::format("Unknown time zone '{}'; use an IANA name such as Europe/Berlin.", tz));
    }
    const auto agency = plan_limits::require_client_account_slot(tx, ctx.scope, plans);
    const auto account = models::account::insert(tx, name, tz, currency.value_or("USD"));
    models::account::set_parent(tx, scope_of(account.id), agency);
    models::account::add_membership(tx, account.id, ctx.user_id, models::Role::owner);
    auto entry = audit_entry("account.create", ctx.user_id, meta);
    entry.target_type = "account";
    entry.target_id = account.public_id;
    models::audit::record(tx, scope_of(account.id), entry);
    return models::account::Membership{account, models::Role::owner};
  });
}

models::account::Membership AuthGate::accept_invitation(const AuthContext& ctx, const std::string& token,
                                                        const RequestMeta& meta) {
  return pool_.transact([&](pqxx::work& tx) {
    const auto invitation = models::member::find_pending_by_token_hash(tx, security::sha256_hex(token));
    const auto user = models::user::find_by_public_id(tx, ctx.user_public_id);
    if (!invitation || !user || lower(invitation->email) != lower(user->email)) {
      throw Error(ErrorCode::not_found, "No such invitation, or it expired or was for another email address.");
    }
    const auto scope = scope_of(invitation->account_id);
    if (models::member::find(tx, scope, user->public_id)) {
      throw Error(ErrorCode::conflict, "You are already a member of this account.");
    }
    models::account::add_membership(tx, invitation->account_id, user->id, invitation->role);
    models::member::mark_accepted(tx, scope, invitation->invitation_id);
    auto entry = audit_entry("member.join", user->id, meta);
    entry.target_type = "user";
    entry.target_id = user->public_id;
    entry.metadata = {{"role", models::role_name(invitation->role)}};
    models::audit::record(tx, scope, entry);
    return models::account::Membership{models::account::find(tx, scope), invitation->role};
  });
}

models::account::Membership AuthGate::current_account(const AuthContext& ctx) {
  return pool_.read([&](pqxx::read_transaction& tx) {
    return models::account::Membership{models::account::find(tx, ctx.scope), ctx.role};
  });
}

Me AuthGate::me(const AuthContext& ctx) {
  return pool_.read([&](pqxx::read_transaction& tx) {
    auto user = models::user::find_by_public_id(tx, ctx.user_public_id);
    if (!user) throw Error(ErrorCode::unauthenticated, std::string(kBadSession));
    auto accounts = models::account::list_memberships(tx, ctx.user_id);
    const auto current = std::find_if(accounts.begin(), accounts.end(),
                                      [&](const auto& m) { return m.account.public_id == ctx.account_public_id; });
    if (current == accounts.end()) throw Error(ErrorCode::unauthenticated, std::string(kBadSession));
    return Me{std::move(*user), *current, accounts};
  });
}

}  // namespace otq::services
