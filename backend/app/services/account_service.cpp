// AccountService: the rules about who may change whom; SQL stays in models/.
#include "app/services/account_service.hpp"

#include <fmt/format.h>

#include "app/errors.hpp"
#include "app/logging.hpp"
#include "app/models/audit.hpp"
#include "app/schemas/auth.hpp"
#include "app/security/digest.hpp"
#include "app/security/random.hpp"
#include "app/services/plan_limits.hpp"

namespace otq::services {
namespace {

constexpr int kInvitationDays = 7;

models::audit::Entry entry(std::string action, const AuthContext& ctx, const RequestMeta& meta) {
  models::audit::Entry e;
  e.action = std::move(action);
  if (ctx.user_id != 0) e.actor_user_id = ctx.user_id;
  e.request_id = meta.request_id;
  e.ip = meta.ip;
  e.user_agent = meta.user_agent;
  return e;
}

Error duplicate_invitation() {
  return Error(ErrorCode::conflict, "An invitation for this email is already pending; revoke it to send a new one.");
}

}  // namespace

AccountService::AccountService(db::Pool& pool, std::string public_url, bool log_mail, security::Sealer cursors)
    : pool_(pool), public_url_(std::move(public_url)), log_mail_(log_mail), cursors_(std::move(cursors)) {}

AuditPage AccountService::audit_log(const AuthContext& ctx, int limit, const std::optional<std::string>& cursor,
                                    const std::optional<std::string>& action) {
  std::optional<std::pair<std::string, std::int64_t>> before;
  if (cursor) {
    // "audit|<account>|<created_at>|<id>": a cursor from another account or list is refused.
    const auto plain = cursors_.open(*cursor);
    const std::string prefix = "audit|" + ctx.account_public_id + "|";
    const auto bar = plain ? plain->rfind('|') : std::string::npos;
    if (!plain || !plain->starts_with(prefix) || bar == std::string::npos || bar < prefix.size()) {
      throw Error(ErrorCode::invalid_argument, "The cursor is not valid here; start again without it.");
    }
    before = std::make_pair(plain->substr(prefix.size(), bar - prefix.size()), std::stoll(plain->substr(bar + 1)));
  }
  AuditPage page;
  page.rows = pool_.read(
      [&](pqxx::read_transaction& tx) { return models::audit::list(tx, ctx.scope, limit + 1, before, action); });
  if (static_cast<int>(page.rows.size()) > limit) {
    page.rows.pop_back();
    const auto& last = page.rows.back();
    page.next_cursor = cursors_.seal(fmt::format("audit|{}|{}|{}", ctx.account_public_id, last.created_at, last.id));
  }
  return page;
}

models::account::Account AccountService::update(const AuthContext& ctx, const AccountChanges& changes,
                                                const RequestMeta& meta) {
  if (changes.currency && !schemas::auth::is_iso4217(*changes.currency)) {
    throw Error(ErrorCode::unprocessable, "Currency must be an ISO 4217 code such as USD or EUR.");
  }
  return pool_.transact([&](pqxx::work& tx) {
    if (changes.timezone && !models::account::timezone_exists(tx, *changes.timezone)) {
      throw Error(ErrorCode::unprocessable,
                  fmt::format("Unknown time zone '{}'; use an IANA name such as Europe/Berlin.", *changes.timezone));
    }
    auto account = models::account::update(tx, ctx.scope, changes.name, changes.timezone, changes.currency);
    auto e = entry("account.update", ctx, meta);
    e.metadata = nlohmann::json::object();
    if (changes.name) e.metadata["name"] = *changes.name;
    if (changes.timezone) e.metadata["timezone"] = *changes.timezone;
    if (changes.currency) e.metadata["currency"] = *changes.currency;
    models::audit::record(tx, ctx.scope, e);
    return account;
  });
}

People AccountService::people(const AuthContext& ctx) {
  return pool_.read([&](pqxx::read_transaction& tx) {
    return People{models::member::list(tx, ctx.scope), models::member::list_pending(tx, ctx.scope)};
  });
}

models::member::Invitation AccountService::invite(const AuthContext& ctx, const std::string& email, models::Role role,
                                                  const RequestMeta& meta, const schemas::billing::Catalog& plans) {
  if (role == models::Role::owner && ctx.role != models::Role::owner) {
    throw Error(ErrorCode::forbidden, "Only an owner can invite another owner.");
  }
  const std::string token = security::random_base62(43);
  try {
    return pool_.transact([&](pqxx::work& tx) {
      if (models::member::is_member_by_email(tx, ctx.scope, email)) {
        throw Error(ErrorCode::conflict, "This person is already a member of the account.");
      }
      plan_limits::lock_account(tx, ctx.scope);
      // Before the plan's limit: a repeated invitation is a conflict whatever the plan.
      if (models::member::has_pending_invitation(tx, ctx.scope, email)) throw duplicate_invitation();
      plan_limits::require_member_slot(tx, ctx.scope, plans);
      auto invitation =
          models::member::invite(tx, ctx.scope, email, role, security::sha256_hex(token), ctx.user_id, kInvitationDays);
      const auto account = models::account::find(tx, ctx.scope);
      const std::string link = fmt::format("{}/invite?token={}", public_url_, token);
      models::member::enqueue_mail(tx, email, fmt::format("You are invited to {} on OmniTrackIQ", account.name),
                                   fmt::format("You have been invited to join {} as {}.\n\nAccept within {} days: {}\n",
                                               account.name, models::role_name(role), kInvitationDays, link));
      auto e = entry("member.invite", ctx, meta);
      e.target_type = "invitation";
      e.target_id = invitation.public_id;
      e.metadata = {{"email", email}, {"role", models::role_name(role)}};
      models::audit::record(tx, ctx.scope, e);
      if (log_mail_) log::info("dev_mail_queued", {{"to", email}, {"link", link}});  // --dev only
      return invitation;
    });
  } catch (const pqxx::unique_violation&) {
    throw duplicate_invitation();  // two invitations racing for the same email
  }
}

models::member::Member AccountService::change_role(const AuthContext& ctx, const std::string& user_public_id,
                                                   models::Role role, const RequestMeta& meta) {
  return pool_.transact([&](pqxx::work& tx) {
    const std::int64_t owners = models::member::lock_and_count_owners(tx, ctx.scope);
    auto target = models::member::find(tx, ctx.scope, user_public_id);
    if (!target) throw Error(ErrorCode::not_found, "No such member.");
    if ((target->role == models::Role::owner || role == models::Role::owner) && ctx.role != models::Role::owner) {
      throw Error(ErrorCode::forbidden, "Only an owner can grant or take away the owner role.");
    }
    if (target->role == models::Role::owner && role != models::Role::owner && owners <= 1) {
      throw Error(ErrorCode::conflict, "The last owner cannot be demoted; make someone else owner first.");
    }
    const auto before = target->role;
    models::member::set_role(tx, ctx.scope, target->user_id, role);
    auto e = entry("member.role_change", ctx, meta);
    e.target_type = "user";
    e.target_id = target->user_public_id;
    e.metadata = {{"from", models::role_name(before)}, {"to", models::role_name(role)}};
    models::audit::record(tx, ctx.scope, e);
    target->role = role;
    return *target;
  });
}

void AccountService::remove(const AuthContext& ctx, const std::string& user_public_id, const RequestMeta& meta) {
  pool_.transact([&](pqxx::work& tx) {
    const std::int64_t owners = models::member::lock_and_count_owners(tx, ctx.scope);
    const auto target = models::member::find(tx, ctx.scope, user_public_id);
    if (!target) throw Error(ErrorCode::not_found, "No such member.");
    const bool self = target->user_id == ctx.user_id;
    if (!self && !models::role_at_least(ctx.role, models::Role::admin)) {
      throw Error(ErrorCode::forbidden, "Only admins and owners can remove other members.");
    }
    if (target->role == models::Role::owner && !self && ctx.role != models::Role::owner) {
      throw Error(ErrorCode::forbidden, "Only an owner can remove an owner.");
    }
    if (target->role == models::Role::owner && owners <= 1) {
      throw Error(ErrorCode::conflict, "The last owner cannot be removed; make someone else owner first.");
    }
    models::member::remove(tx, ctx.scope, target->user_id);
    auto e = entry(self ? "member.leave" : "member.remove", ctx, meta);
    e.target_type = "user";
    e.target_id = target->user_public_id;
    models::audit::record(tx, ctx.scope, e);
  });
}

void AccountService::revoke_invitation(const AuthContext& ctx, const std::string& invitation_public_id,
                                       const RequestMeta& meta) {
  pool_.transact([&](pqxx::work& tx) {
    if (!models::member::revoke_invitation(tx, ctx.scope, invitation_public_id)) {
      throw Error(ErrorCode::not_found, "No such pending invitation.");
    }
    auto e = entry("member.invitation_revoke", ctx, meta);
    e.target_type = "invitation";
    e.target_id = invitation_public_id;
    models::audit::record(tx, ctx.scope, e);
  });
}

}  // namespace otq::services
