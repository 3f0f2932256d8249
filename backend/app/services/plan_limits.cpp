// Plan limit checks against the catalogue and the account's rows.
#include "app/services/plan_limits.hpp"

#include <map>

#include <fmt/format.h>

#include "app/connectors/registry.hpp"
#include "app/db.hpp"
#include "app/errors.hpp"
#include "app/models/integration.hpp"
#include "app/schemas/metrics.hpp"

namespace otq::services::plan_limits {
namespace {

namespace sb = schemas::billing;

std::optional<int> limit_of(const Plan& plan, std::string_view limit) {
  if (limit.starts_with("integrations.")) return plan.limits.integrations_in(limit.substr(13));
  if (limit == "history_days") return plan.limits.history_days;
  if (limit == "team_members") return plan.limits.team_members;
  if (limit == "client_accounts") return plan.limits.client_accounts;
  return 0;
}

// The cheapest plan (by monthly price) allowing more of `limit` than `plan` does.
const Plan* upgrade_for(const Catalog& catalog, const Plan& plan, std::string_view limit) {
  const auto have = limit_of(plan, limit);
  const Plan* best = nullptr;
  auto monthly = [](const Plan& p) {
    const auto it = p.prices.find("month");
    return it == p.prices.end() ? p.prices.begin()->second.amount : it->second.amount;
  };
  for (const auto& p : catalog.plans()) {
    const auto allows = limit_of(p, limit);
    const bool more = !allows || (have && *allows > *have);
    if (!more || p.id == plan.id) continue;
    if (best == nullptr || monthly(p) < monthly(*best)) best = &p;
  }
  return best;
}

std::string_view category_label(std::string_view category, bool plural) {
  if (category == "store") return plural ? "stores" : "store";
  if (category == "ads") return plural ? "ad platforms" : "ad platform";
  return plural ? "analytics connections" : "analytics connection";
}

std::vector<std::string> providers_in(std::string_view category) {
  std::vector<std::string> out;
  for (const auto& p : connectors::providers()) {
    if (p.category == category) out.push_back(p.id);
  }
  return out;
}

std::int64_t members_and_invitations(pqxx::transaction_base& tx, const models::AccountScope& scope) {
  return tx
      .exec_params1(
          "SELECT (SELECT count(*) FROM memberships WHERE account_id = $1) + "
          "       (SELECT count(*) FROM invitations WHERE account_id = $1 AND accepted_at IS NULL "
          "           AND revoked_at IS NULL AND expires_at > now())",
          scope.account_id())[0]
      .as<std::int64_t>();
}

std::int64_t client_accounts(pqxx::transaction_base& tx, const models::AccountScope& scope) {
  return tx.exec_params1("SELECT count(*) FROM accounts WHERE parent_account_id = $1", scope.account_id())[0]
      .as<std::int64_t>();
}

}  // namespace

const Plan& current(pqxx::transaction_base& tx, const models::AccountScope& scope, const Catalog& catalog) {
  const auto row = tx.exec_params1("SELECT plan FROM accounts WHERE id = $1", scope.account_id());
  return catalog.find_or_free(row[0].as<std::string>());
}

void lock_account(pqxx::transaction_base& tx, const models::AccountScope& scope) {
  tx.exec_params("SELECT 1 FROM accounts WHERE id = $1 FOR UPDATE", scope.account_id());
}

void reached(const Catalog& catalog, const Plan& plan, std::string_view limit, std::string message) {
  const Plan* next = upgrade_for(catalog, plan, limit);
  if (next != nullptr) {
    message += fmt::format(" Upgrade to {} under Billing.", next->name);
  } else {
    message += " Contact us for a larger plan.";
  }
  const auto allowed = limit_of(plan, limit);
  throw Error(ErrorCode::payment_required, std::move(message))
      .with_details({{"limit", limit},
                     {"plan", plan.id},
                     {"allowed", allowed ? nlohmann::json(*allowed) : nlohmann::json(nullptr)},
                     {"upgrade_to", next != nullptr ? nlohmann::json(next->id) : nlohmann::json(nullptr)},
                     {"upgrade_url", "/billing"}});
}

void require_integration_slot(pqxx::transaction_base& tx, const models::AccountScope& scope, const Catalog& catalog,
                              std::string_view provider, const std::optional<std::string>& external_account_id) {
  const auto* info = connectors::find_provider(provider);
  if (info == nullptr) return;
  const Plan& plan = current(tx, scope, catalog);
  const auto allowed = plan.limits.integrations_in(info->category);
  if (!allowed) return;
  // Live connections of the category other than the one being (re)connected.
  const auto row = tx.exec_params1(
      "SELECT count(*) FILTER (WHERE NOT (provider = $3 AND ($4::text IS NULL OR external_account_id = $4))), "
      "       count(*) FILTER (WHERE provider = $3 AND ($4::text IS NULL OR external_account_id = $4)) "
      "  FROM integrations WHERE account_id = $1 AND provider = ANY($2::text[]) AND status <> 'disconnected'",
      scope.account_id(), db::text_array(providers_in(info->category)), std::string(provider), external_account_id);
  const auto others = row[0].as<std::int64_t>();
  if (row[1].as<std::int64_t>() > 0 || others < *allowed) return;  // a reconnect, or a free slot
  reached(catalog, plan, fmt::format("integrations.{}", info->category),
          fmt::format("Your {} plan includes {} {} and {} connected; disconnect one or upgrade to connect {}.",
                      plan.name, *allowed, category_label(info->category, *allowed != 1),
                      others == 1 ? "1 is" : fmt::format("{} are", others), info->label));
}

int apply_integration_limits(pqxx::transaction_base& tx, const models::AccountScope& scope, const Catalog& catalog) {
  const Plan& plan = current(tx, scope, catalog);
  std::map<std::string, int, std::less<>> used;
  int changed = 0;
  const auto rows = tx.exec_params(
      "SELECT id, provider, paused_by_plan FROM integrations WHERE account_id = $1 AND status <> 'disconnected' "
      "ORDER BY created_at, id",
      scope.account_id());
  for (const auto& r : rows) {
    const auto* info = connectors::find_provider(r[1].as<std::string>());
    const std::string category = info == nullptr ? "" : info->category;
    const auto allowed = plan.limits.integrations_in(category);
    const bool pause = allowed && ++used[category] > *allowed;
    if (pause == r[2].as<bool>()) continue;
    ++changed;
    models::integration::set_paused_by_plan(tx, scope, r[0].as<std::int64_t>(), pause);
  }
  return changed;
}

nlohmann::json usage(pqxx::transaction_base& tx, const models::AccountScope& scope) {
  nlohmann::json integrations = nlohmann::json::object();
  for (const auto category : sb::kCategories) integrations[std::string(category)] = 0;
  for (const auto& r :
       tx.exec_params("SELECT provider, count(*) FROM integrations WHERE account_id = $1 AND status <> 'disconnected' "
                      "GROUP BY provider",
                      scope.account_id())) {
    if (const auto* info = connectors::find_provider(r[0].as<std::string>())) {
      integrations[info->category] = integrations[info->category].get<std::int64_t>() + r[1].as<std::int64_t>();
    }
  }
  return {{"integrations", integrations},
          {"team_members", members_and_invitations(tx, scope)},
          {"client_accounts", client_accounts(tx, scope)}};
}

void require_member_slot(pqxx::transaction_base& tx, const models::AccountScope& scope, const Catalog& catalog) {
  const Plan& plan = current(tx, scope, catalog);
  if (!plan.limits.team_members) return;
  const auto taken = members_and_invitations(tx, scope);
  if (taken < *plan.limits.team_members) return;
  reached(catalog, plan, "team_members",
          fmt::format("Your {} plan includes {} team member{}, and members plus pending invitations already make {}; "
                      "remove someone or upgrade.",
                      plan.name, *plan.limits.team_members, *plan.limits.team_members == 1 ? "" : "s", taken));
}

std::int64_t require_client_account_slot(pqxx::transaction_base& tx, const models::AccountScope& scope,
                                         const Catalog& catalog) {
  // Locks the agency's row: two accounts created at once from its clients count one after the other.
  const auto agency = tx.exec_params1(
      "SELECT a.id, a.plan, (SELECT count(*) FROM accounts c WHERE c.parent_account_id = a.id) FROM accounts a "
      " WHERE a.id = (SELECT coalesce(parent_account_id, id) FROM accounts WHERE id = $1) FOR UPDATE OF a",
      scope.account_id());
  const Plan& plan = catalog.find_or_free(agency[1].as<std::string>());
  const auto taken = agency[2].as<std::int64_t>();
  if (plan.limits.client_accounts && taken >= *plan.limits.client_accounts) {
    reached(catalog, plan, "client_accounts",
            fmt::format("Your {} plan includes {} client account{}, and {} already exist.", plan.name,
                        *plan.limits.client_accounts, *plan.limits.client_accounts == 1 ? "" : "s", taken));
  }
  return agency[0].as<std::int64_t>();
}

std::optional<std::string> history_start(const Plan& plan, std::string_view today) {
  if (!plan.limits.history_days) return std::nullopt;
  const auto day = schemas::metrics::parse_day(today);
  if (!day) return std::nullopt;
  return schemas::metrics::format_day(*day - std::chrono::days(*plan.limits.history_days - 1));
}

}  // namespace otq::services::plan_limits
