// Integrations service. Provider tokens exist in plaintext only inside these functions and the
// worker's sync; they are sealed before they touch the database and never logged or returned.
#include "app/services/integrations_service.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>

#include <fmt/format.h>

#include "app/clock.hpp"
#include "app/connectors/meta/meta_connector.hpp"
#include "app/connectors/registry.hpp"
#include "app/errors.hpp"
#include "app/json_input.hpp"
#include "app/logging.hpp"
#include "app/models/audit.hpp"
#include "app/models/integration.hpp"
#include "app/models/job.hpp"
#include "app/security/digest.hpp"
#include "app/security/jwt.hpp"
#include "app/security/random.hpp"
#include "app/services/plan_limits.hpp"

namespace otq::services {
namespace {

using nlohmann::json;
namespace integration = models::integration;

constexpr std::chrono::minutes kStateLifetime{10};

json opt(const std::optional<std::string>& v) {
  return v ? json(*v) : json(nullptr);
}

// What the page shows: connected | syncing | error | paused (beyond the plan) | disconnected.
std::string status_of(const integration::Integration& i) {
  if (i.status == "disconnected") return "disconnected";
  if (i.paused_by_plan) return "paused";
  if (i.status == "error") return "error";
  if (i.job_status == std::optional<std::string>("running")) return "syncing";
  return "connected";
}

json render(const integration::Integration& i) {
  return {{"id", i.public_id},
          {"provider", i.provider},
          {"external_account_id", i.external_account_id},
          {"name", opt(i.display_name)},
          {"status", status_of(i)},
          {"settings", i.settings},
          {"sync_frequency_minutes", i.sync_frequency_minutes},
          {"last_synced_at", opt(i.last_synced_at)},
          {"last_error", opt(i.last_error)},
          {"paused_reason", i.paused_by_plan && i.status != "disconnected"
                                ? json("Not synced: the plan covers fewer connections of this kind. Upgrade, or "
                                       "disconnect another, to sync it again; its data is kept.")
                                : json(nullptr)},
          {"last_error_at", opt(i.last_error_at)},
          {"next_sync_at", opt(i.next_sync_at)},
          {"pending_sync", opt(i.job_status)},
          {"connected_at", opt(i.connected_at)},
          {"disconnected_at", opt(i.disconnected_at)},
          {"created_at", i.created_at}};
}

json render_run(const integration::Run& r) {
  return {{"id", r.public_id},
          {"trigger", r.kind},
          {"status", r.status},
          {"attempt", r.attempt ? json(*r.attempt) : json(nullptr)},
          {"rows_read", r.rows_read},
          {"rows_written", r.rows_written},
          {"error", opt(r.error)},
          {"queued_at", r.queued_at},
          {"started_at", opt(r.started_at)},
          {"finished_at", opt(r.finished_at)}};
}

const connectors::ProviderInfo& provider_or_404(const std::string& provider) {
  const auto* p = connectors::find_provider(provider);
  if (p == nullptr) {
    throw Error(ErrorCode::not_found, fmt::format("No provider '{}'. Providers: facebook_ads, shopify, google_ads, "
                                                  "tiktok_ads, ga4, woocommerce.",
                                                  provider));
  }
  return *p;
}

integration::Integration find_or_404(pqxx::transaction_base& tx, const AuthContext& ctx, const std::string& id) {
  if (!security::is_public_id(id, "int")) throw Error(ErrorCode::not_found, "No such integration.");
  auto found = integration::find(tx, ctx.scope, id);
  if (!found) throw Error(ErrorCode::not_found, "No such integration.");
  return *found;
}

models::audit::Entry entry(std::string action, const AuthContext& ctx, const RequestMeta& meta,
                           const std::string& target) {
  models::audit::Entry e;
  e.action = std::move(action);
  if (ctx.user_id != 0) e.actor_user_id = ctx.user_id;
  e.target_type = "integration";
  e.target_id = target;
  e.request_id = meta.request_id;
  e.ip = meta.ip;
  e.user_agent = meta.user_agent;
  return e;
}

std::string page_url(std::string_view provider, std::string_view outcome, std::string_view message = {}) {
  // The provider comes from the request path: encoded, it cannot break out of the query.
  std::string url = fmt::format("/integrations?provider={}&{}", connectors::HttpClient::encode(provider), outcome);
  if (!message.empty()) url += "&message=" + connectors::HttpClient::encode(message);
  return url;
}

// Node's querystring.escape, which Shopify's own validator uses to rebuild the signed message.
std::string query_escape(std::string_view s) {
  std::string out;
  for (const char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || std::string_view("-_.!~*'()").find(c) != std::string_view::npos) {
      out.push_back(c);
    } else {
      out += fmt::format("%{:02X}", u);
    }
  }
  return out;
}

json parse_json_object(const connectors::HttpResponse& res) {
  json body = parse_untrusted_json(res.body);
  return body.is_object() ? body : json::object();
}

}  // namespace

IntegrationsService::IntegrationsService(db::Pool& pool, const Config& config, security::CredentialCipher cipher,
                                         std::string state_secret)
    : pool_(pool),
      config_(config),
      cipher_(std::move(cipher)),
      state_key_(security::hmac_sha256(state_secret, "otq-oauth-state-v1")),
      http_(std::min(config.outbound_timeout, std::chrono::seconds(15))) {}

json IntegrationsService::list(const AuthContext& ctx) {
  const auto all = pool_.read([&](pqxx::read_transaction& tx) { return integration::list(tx, ctx.scope); });
  json data = json::array();
  for (const auto& p : connectors::providers()) {
    json connections = json::array();
    std::string status = "not_connected";
    auto rank = [](const std::string& s) {
      return s == "syncing"        ? 5
             : s == "error"        ? 4
             : s == "connected"    ? 3
             : s == "paused"       ? 2
             : s == "disconnected" ? 1
                                   : 0;
    };
    for (const auto& i : all) {
      if (i.provider != p.id) continue;
      json c = render(i);
      if (rank(c["status"]) > rank(status)) status = c["status"];
      connections.push_back(std::move(c));
    }
    const bool configured = p.id == "facebook_ads" ? !config_.providers.meta_app_id.empty()
                            : p.id == "shopify"    ? !config_.providers.shopify_client_id.empty()
                                                   : p.connectable;
    data.push_back({{"provider", p.id},
                    {"label", p.label},
                    {"category", p.category},
                    {"auth", p.auth == connectors::AuthKind::oauth ? "oauth" : "api_key"},
                    {"available", p.connectable},
                    {"configured", configured},
                    {"syncs", p.syncs},
                    {"status", status},
                    {"connections", connections}});
  }
  return {{"data", data}};
}

json IntegrationsService::get(const AuthContext& ctx, const std::string& id) {
  return {{"data", render(pool_.read([&](pqxx::read_transaction& tx) { return find_or_404(tx, ctx, id); }))}};
}

json IntegrationsService::update(const AuthContext& ctx, const std::string& id,
                                 const schemas::integrations::PatchRequest& req, const RequestMeta& meta) {
  return pool_.transact([&](pqxx::work& tx) {
    const auto current = find_or_404(tx, ctx, id);
    if (current.status == "disconnected") {
      throw Error(ErrorCode::conflict, "This integration is disconnected; connect it again to change its settings.");
    }
    std::optional<json> settings;
    if (req.settings) settings = schemas::integrations::check_settings(current.provider, *req.settings);
    if (settings &&
        settings->value("backfill_days", json()).is_number()) {  // a backfill cannot reach past the plan's history
      const auto& catalog = config_.billing.catalog;
      const auto& plan = plan_limits::current(tx, ctx.scope, catalog);
      const int days = (*settings)["backfill_days"].get<int>();
      if (plan.limits.history_days && days > *plan.limits.history_days) {
        plan_limits::reached(catalog, plan, "history_days",
                             fmt::format("Your {} plan keeps {} days of history; a {}-day backfill needs more.",
                                         plan.name, *plan.limits.history_days, days));
      }
    }
    const auto updated = integration::update(tx, ctx.scope, id, settings, req.sync_frequency_minutes);
    auto e = entry("integration.update", ctx, meta, id);
    if (settings) e.metadata["settings"] = *settings;
    if (req.sync_frequency_minutes) e.metadata["sync_frequency_minutes"] = *req.sync_frequency_minutes;
    models::audit::record(tx, ctx.scope, e);
    return json{{"data", render(*updated)}};
  });
}

json IntegrationsService::disconnect(const AuthContext& ctx, const std::string& id, const RequestMeta& meta) {
  // Read the credentials first: revoking happens outside the transaction (a slow provider must
  // not hold database locks), and the row is disconnected whatever the provider answers.
  const auto [current, sealed] = pool_.read([&](pqxx::read_transaction& tx) {
    auto i = find_or_404(tx, ctx, id);
    return std::make_pair(i, integration::credentials(tx, ctx.scope, i.id));
  });
  if (sealed) {
    try {
      const json creds = json::parse(cipher_.open(*sealed, integration::credential_binding(ctx.scope, id)));
      revoke(current.provider, current.external_account_id, creds);
    } catch (const std::exception& e) {
      log::warn("revoke_skipped", {{"integration", id}, {"detail", e.what()}});
    }
  }
  return pool_.transact([&](pqxx::work& tx) {
    plan_limits::lock_account(tx, ctx.scope);
    integration::disconnect(tx, ctx.scope, id);
    plan_limits::apply_integration_limits(tx, ctx.scope, config_.billing.catalog);  // a slot may be free now
    models::audit::record(tx, ctx.scope, entry("integration.disconnect", ctx, meta, id));
    return json{{"data", render(*integration::find(tx, ctx.scope, id))}};
  });
}

json IntegrationsService::sync_now(const AuthContext& ctx, const std::string& id, const RequestMeta& meta) {
  return pool_.transact([&](pqxx::work& tx) {
    const auto current = find_or_404(tx, ctx, id);
    const auto& p = provider_or_404(current.provider);
    if (current.status == "disconnected" || !current.has_credentials) {
      throw Error(ErrorCode::conflict, fmt::format("Connect {} again before syncing.", p.label));
    }
    if (current.status == "error") {
      throw Error(ErrorCode::conflict,
                  fmt::format("{} needs attention first: {}", p.label, current.last_error.value_or("reconnect it")));
    }
    if (current.paused_by_plan) {
      plan_limits::reached(config_.billing.catalog, plan_limits::current(tx, ctx.scope, config_.billing.catalog),
                           "integrations." + p.category,
                           fmt::format("{} is paused: your plan covers fewer {} connections.", p.label, p.category));
    }
    if (!p.syncs) {
      throw Error(ErrorCode::conflict,
                  fmt::format("{} syncing is not available yet; the connection is kept.", p.label));
    }
    models::job::NewJob job{"integration.sync",       "sync:" + id, json{{"integration", id}, {"trigger", "manual"}},
                            config_.job_max_attempts, 10,           std::chrono::seconds(0)};
    const auto queued = models::job::enqueue(tx, ctx.scope, job);
    if (!queued.created && queued.status == "running") {
      throw Error(ErrorCode::conflict, "A sync of this integration is running; wait for it to finish.");
    }
    if (!queued.created) {
      // Already waiting (scheduled, or backing off after a failure): run it now, first.
      tx.exec_params(
          "UPDATE jobs SET run_at = now(), priority = 10 WHERE id = $1 AND account_id = $2 AND status = "
          "'queued'",
          queued.id, ctx.scope.account_id());
    }
    models::audit::record(tx, ctx.scope, entry("integration.sync", ctx, meta, id));
    return json{{"data", render(*integration::find(tx, ctx.scope, id))}, {"queued", true}};
  });
}

json IntegrationsService::ad_accounts(const AuthContext& ctx, const std::string& id) {
  const auto [current, sealed] = pool_.read([&](pqxx::read_transaction& tx) {
    auto i = find_or_404(tx, ctx, id);
    return std::make_pair(i, integration::credentials(tx, ctx.scope, i.id));
  });
  if (current.provider != "facebook_ads") {
    throw Error(ErrorCode::conflict, "Only Meta Ads connections have ad accounts to choose from.");
  }
  if (current.status == "disconnected" || !sealed) {
    throw Error(ErrorCode::conflict, "This connection is disconnected; connect Meta again to choose ad accounts.");
  }
  std::string token;
  try {
    token =
        json::parse(cipher_.open(*sealed, integration::credential_binding(ctx.scope, id))).value("access_token", "");
  } catch (const std::exception& e) {
    log::error("credentials_unreadable", {{"integration", id}, {"detail", e.what()}});
    throw Error(ErrorCode::conflict, "The stored Meta credentials cannot be read. Reconnect Meta.");
  }
  std::vector<connectors::meta::AdAccount> accounts;
  try {
    // A person is waiting: one quick retry at most, no long Retry-After waits.
    accounts = connectors::meta::list_ad_accounts(http_, config_.providers, token,
                                                  {.max_attempts = 2, .max_delay = std::chrono::seconds(2)});
  } catch (const connectors::NeedsUser& e) {
    throw Error(ErrorCode::conflict, e.what());
  } catch (const connectors::Transient& e) {
    throw Error(ErrorCode::upstream, "Meta did not list the ad accounts just now. Try again in a minute.", e.what());
  }
  // No selection stored: every ad account the login can read is synced.
  const json chosen = current.settings.value("ad_account_ids", json::array());
  const bool all = !chosen.is_array() || chosen.empty();
  json data = json::array();
  for (const auto& a : accounts) {
    const bool selected = all || std::find(chosen.begin(), chosen.end(), json(a.id)) != chosen.end();
    data.push_back({{"id", a.id},
                    {"name", a.name},
                    {"currency", a.currency},
                    {"timezone", a.timezone},
                    {"status", a.status},
                    {"selected", selected}});
  }
  return {{"data", data}, {"selection", all ? "all" : "chosen"}};
}

json IntegrationsService::runs(const AuthContext& ctx, const std::string& id,
                               const std::map<std::string, std::string>& query) {
  int limit = 20;
  std::optional<std::string> before;
  for (const auto& [k, v] : query) {
    if (k == "limit") {
      try {
        limit = std::stoi(v);
      } catch (const std::exception&) {
        limit = 0;
      }
      if (limit < 1 || limit > 100 || std::to_string(limit) != v) {
        throw Error(ErrorCode::invalid_argument, "'limit' must be a whole number from 1 to 100.");
      }
    } else if (k == "before") {
      if (!security::is_public_id(v, "sync")) {
        throw Error(ErrorCode::invalid_argument, "'before' must be the id of a run (sync_...).");
      }
      before = v;
    } else {
      throw Error(ErrorCode::invalid_argument, fmt::format("Unknown parameter '{}'. Allowed: limit, before.", k));
    }
  }
  return pool_.read([&](pqxx::read_transaction& tx) {
    const auto current = find_or_404(tx, ctx, id);
    auto rows = integration::runs(tx, ctx.scope, current.id, limit + 1, before);
    const bool more = static_cast<int>(rows.size()) > limit;
    if (more) rows.pop_back();
    json data = json::array();
    for (const auto& r : rows) data.push_back(render_run(r));
    return json{{"data", data}, {"next_before", more ? json(rows.back().public_id) : json(nullptr)}};
  });
}

std::string IntegrationsService::redirect_uri(std::string_view provider) const {
  return fmt::format("{}/api/v1/integrations/{}/callback", config_.public_url, provider);
}

std::string IntegrationsService::sign_state(const json& payload) const {
  const std::string body = security::base64url_encode(payload.dump());
  return body + "." + security::base64url_encode(security::hmac_sha256(state_key_, body));
}

std::optional<json> IntegrationsService::verify_state(std::string_view state) const {
  const auto dot = state.find('.');
  if (dot == std::string_view::npos || state.size() > 2048) return std::nullopt;
  const std::string_view body = state.substr(0, dot);
  const auto sig = security::base64url_decode(state.substr(dot + 1));
  if (!sig || !security::constant_time_equal(*sig, security::hmac_sha256(state_key_, body))) return std::nullopt;
  const auto decoded = security::base64url_decode(body);
  if (!decoded) return std::nullopt;
  json payload = parse_untrusted_json(*decoded);
  if (!payload.is_object() || !payload.contains("e") || !payload["e"].is_number_integer()) return std::nullopt;
  if (payload["e"].get<std::int64_t>() < unix_now()) return std::nullopt;
  return payload;
}

ConnectResult IntegrationsService::connect(const AuthContext& ctx, const std::string& provider, std::string_view body,
                                           const RequestMeta& meta) {
  const auto& p = provider_or_404(provider);
  if (!p.connectable) {
    throw Error(ErrorCode::unprocessable, fmt::format("{} is coming soon; it cannot be connected yet.", p.label));
  }
  const auto req = schemas::integrations::parse_connect(provider, body);
  const auto& ps = config_.providers;

  if (p.auth == connectors::AuthKind::api_key) {  // WooCommerce: keys pasted by the user
    return pool_.transact([&](pqxx::work& tx) {
      plan_limits::lock_account(tx, ctx.scope);
      plan_limits::require_integration_slot(tx, ctx.scope, config_.billing.catalog, provider, *req.store_url);
      const auto created =
          integration::upsert_connected(tx, ctx.scope, provider, *req.store_url, *req.store_url, json::object(),
                                        ctx.user_id == 0 ? std::nullopt : std::optional(ctx.user_id));
      const json creds{{"consumer_key", *req.consumer_key}, {"consumer_secret", *req.consumer_secret}};
      integration::set_credentials(
          tx, ctx.scope, created.id,
          cipher_.seal(creds.dump(), integration::credential_binding(ctx.scope, created.public_id)));
      plan_limits::apply_integration_limits(tx, ctx.scope, config_.billing.catalog);  // a reconnect may stay paused
      models::audit::record(tx, ctx.scope, entry("integration.connect", ctx, meta, created.public_id));
      return ConnectResult{201, {{"data", render(*integration::find_by_id(tx, ctx.scope, created.id))}}};
    });
  }

  const bool configured = provider == "facebook_ads" ? !ps.meta_app_id.empty() : !ps.shopify_client_id.empty();
  if (!configured) {
    throw Error(ErrorCode::unprocessable,
                fmt::format("{} is not set up on this server yet: an operator must set its app credentials "
                            "(docs/integrations.md).",
                            p.label));
  }
  // Checked again with the exact account at the callback; here so nobody goes through a
  // provider's consent screen for a connection the plan refuses.
  pool_.read([&](pqxx::read_transaction& tx) {
    plan_limits::require_integration_slot(tx, ctx.scope, config_.billing.catalog, provider, req.shop);
  });
  const std::string nonce = security::random_bytes(32);
  const json payload{{"n", security::base64url_encode(nonce)},
                     {"a", ctx.account_public_id},
                     {"u", ctx.user_public_id},
                     {"p", provider},
                     {"e", unix_now() + std::chrono::seconds(kStateLifetime).count()}};
  pool_.transact([&](pqxx::work& tx) {
    tx.exec_params(
        "INSERT INTO oauth_states (account_id, nonce_hash, user_id, provider, shop, expires_at) "
        "VALUES ($1, $2, $3, $4, $5, now() + make_interval(mins => $6))",
        ctx.scope.account_id(), pqxx::binarystring(security::sha256(nonce)), ctx.user_id, provider, req.shop,
        static_cast<int>(kStateLifetime.count()));
  });
  const std::string state = sign_state(payload);
  std::string url;
  if (provider == "facebook_ads") {
    url = fmt::format("{}/{}/dialog/oauth?client_id={}&redirect_uri={}&state={}&scope=ads_read&response_type=code",
                      ps.meta_oauth_base, ps.meta_api_version, connectors::HttpClient::encode(ps.meta_app_id),
                      connectors::HttpClient::encode(redirect_uri(provider)), connectors::HttpClient::encode(state));
  } else {
    std::string base = ps.shopify_api_base;
    base.replace(base.find("{shop}"), 6, *req.shop);
    url = fmt::format("{}/admin/oauth/authorize?client_id={}&scope={}&redirect_uri={}&state={}", base,
                      connectors::HttpClient::encode(ps.shopify_client_id),
                      connectors::HttpClient::encode(ps.shopify_scopes),
                      connectors::HttpClient::encode(redirect_uri(provider)), connectors::HttpClient::encode(state));
  }
  return ConnectResult{200, {{"url", url}}};
}

json IntegrationsService::exchange_meta(const std::string& code) {
  const auto& ps = config_.providers;
  const std::string base = fmt::format("{}/{}", ps.meta_api_base, ps.meta_api_version);
  auto call = [&](const std::string& url) {
    const auto res = http_.send_once({"GET", url, {}, {}});
    json body = parse_json_object(res);
    if (res.status != 200 || !body.contains("access_token")) {
      const std::string why = body.contains("error") ? body["error"].value("message", "") : "";
      throw Error(ErrorCode::upstream, "Meta did not accept the login; try connecting again.",
                  fmt::format("HTTP {} {}", res.status, why));
    }
    return body;
  };
  const json short_lived = call(fmt::format(
      "{}/oauth/access_token?client_id={}&redirect_uri={}&client_secret={}&code={}", base,
      connectors::HttpClient::encode(ps.meta_app_id), connectors::HttpClient::encode(redirect_uri("facebook_ads")),
      connectors::HttpClient::encode(ps.meta_app_secret), connectors::HttpClient::encode(code)));
  // A long-lived token (about 60 days) instead of the one-hour token from the code.
  const json long_lived = call(fmt::format(
      "{}/oauth/access_token?grant_type=fb_exchange_token&client_id={}&client_secret={}&fb_exchange_token={}", base,
      connectors::HttpClient::encode(ps.meta_app_id), connectors::HttpClient::encode(ps.meta_app_secret),
      connectors::HttpClient::encode(short_lived["access_token"].get<std::string>())));
  const std::string token = long_lived["access_token"];
  const auto me =
      http_.send_once({"GET", fmt::format("{}/me?fields=id,name", base), {{"Authorization", "Bearer " + token}}, {}});
  const json who = parse_json_object(me);
  if (me.status != 200 || !who.contains("id")) {
    throw Error(ErrorCode::upstream, "Meta did not say who logged in; try connecting again.",
                fmt::format("HTTP {} from /me", me.status));
  }
  json out{{"credentials", {{"access_token", token}}},
           {"external_id", who["id"].is_string() ? who["id"].get<std::string>() : who["id"].dump()},
           {"name", who.value("name", "Meta user")}};
  if (long_lived.contains("expires_in"))
    out["credentials"]["expires_at"] = unix_now() + long_lived.value("expires_in", 0);
  return out;
}

json IntegrationsService::exchange_shopify(const std::string& shop, const std::string& code) {
  const auto& ps = config_.providers;
  std::string base = ps.shopify_api_base;
  base.replace(base.find("{shop}"), 6, shop);
  const json request{{"client_id", ps.shopify_client_id}, {"client_secret", ps.shopify_client_secret}, {"code", code}};
  const auto res = http_.send_once({"POST",
                                    base + "/admin/oauth/access_token",
                                    {{"Content-Type", "application/json"}, {"Accept", "application/json"}},
                                    request.dump()});
  const json body = parse_json_object(res);
  if (res.status != 200 || !body.contains("access_token")) {
    throw Error(ErrorCode::upstream, "Shopify did not accept the installation; try connecting again.",
                fmt::format("HTTP {} from the token endpoint", res.status));
  }
  return {{"credentials", {{"access_token", body["access_token"]}, {"scope", body.value("scope", "")}}},
          {"external_id", shop},
          {"name", shop}};
}

void IntegrationsService::revoke(const std::string& provider, const std::string& external_account_id,
                                 const json& credentials) {
  const auto& ps = config_.providers;
  const std::string token = credentials.value("access_token", "");
  if (token.empty()) return;
  connectors::HttpResponse res;
  if (provider == "facebook_ads") {
    res = http_.send_once({"DELETE",
                           fmt::format("{}/{}/me/permissions", ps.meta_api_base, ps.meta_api_version),
                           {{"Authorization", "Bearer " + token}},
                           {}});
  } else if (provider == "shopify") {
    std::string base = ps.shopify_api_base;
    base.replace(base.find("{shop}"), 6, external_account_id);
    res = http_.send_once(
        {"DELETE", base + "/admin/api_permissions/current.json", {{"X-Shopify-Access-Token", token}}, {}});
  } else {
    return;  // WooCommerce keys are revoked by the store owner in WooCommerce
  }
  log::info("provider_token_revoked", {{"provider", provider}, {"status", res.status}});
}

std::string IntegrationsService::callback(const std::string& provider, const std::map<std::string, std::string>& query,
                                          const std::optional<AuthContext>& session, const RequestMeta& meta) {
  const auto* p = connectors::find_provider(provider);
  if (p == nullptr || p->auth != connectors::AuthKind::oauth || !p->connectable) {
    return page_url(provider, "error=unknown_provider", "Unknown provider.");
  }
  auto reject = [&](std::string_view reason, std::string_view message) {
    log::warn("oauth_callback_rejected", {{"provider", provider}, {"reason", reason}});
    return page_url(provider, fmt::format("error={}", reason), message);
  };
  auto param = [&](const char* name) -> std::string {
    const auto it = query.find(name);
    return it == query.end() ? "" : it->second;
  };
  if (!param("error").empty())
    return reject("denied", fmt::format("{} was not connected: access was not granted.", p->label));

  const auto payload = verify_state(param("state"));
  if (!payload || payload->value("p", "") != provider) {
    return reject("invalid_state", "This connect link is invalid or expired. Start again from the integrations page.");
  }
  if (!session || session->principal != Principal::user || session->user_public_id != payload->value("u", "") ||
      session->account_public_id != payload->value("a", "")) {
    return reject("wrong_session",
                  "Finish connecting in the browser and account you started from (log in to it and start again).");
  }
  // Before the state is consumed, so a forged redirect cannot burn the user's attempt.
  if (provider == "shopify") {
    // Shopify signs the callback's query: HMAC-SHA256 (hex) of the other parameters, sorted.
    std::string message;
    for (const auto& [k, v] : query) {
      if (k == "hmac" || k == "signature") continue;
      if (!message.empty()) message += "&";
      message += query_escape(k) + "=" + query_escape(v);
    }
    const std::string expected =
        security::to_hex(security::hmac_sha256(config_.providers.shopify_client_secret, message));
    if (!security::constant_time_equal(param("hmac"), expected)) {
      return reject("invalid_signature", "Shopify's signature did not match. Start again from the integrations page.");
    }
  }
  const auto nonce = security::base64url_decode(payload->value("n", ""));
  if (!nonce) return reject("invalid_state", "This connect link is invalid. Start again from the integrations page.");
  const auto consumed = pool_.transact([&](pqxx::work& tx) {
    return tx.exec_params(
        "UPDATE oauth_states SET used_at = now() WHERE account_id = $1 AND nonce_hash = $2 AND user_id = $3 "
        "AND provider = $4 AND used_at IS NULL AND expires_at > now() RETURNING coalesce(shop, '')",
        session->scope.account_id(), pqxx::binarystring(security::sha256(*nonce)), session->user_id, provider);
  });
  if (consumed.empty()) {
    return reject("state_used", "This connect link was already used or has expired. Start again.");
  }
  const std::string shop = consumed[0][0].as<std::string>();

  if (provider == "shopify") {
    if (schemas::integrations::normalize_shop(param("shop")) != std::optional<std::string>(shop)) {
      return reject("wrong_shop", "Shopify answered for a different shop. Start again.");
    }
  }
  const std::string code = param("code");
  if (code.empty() || code.size() > 2048) return reject("missing_code", "The provider sent no authorisation code.");

  json exchanged;
  try {
    exchanged = provider == "facebook_ads" ? exchange_meta(code) : exchange_shopify(shop, code);
  } catch (const Error& e) {
    log::warn("oauth_exchange_failed", {{"provider", provider}, {"detail", e.internal_detail()}});
    return page_url(provider, "error=exchange_failed", e.public_message());
  } catch (const connectors::HttpFailure& f) {
    log::warn("oauth_exchange_failed", {{"provider", provider}, {"detail", f.message}});
    return page_url(provider, "error=exchange_failed", fmt::format("{} could not be reached; try again.", p->label));
  }
  std::string public_id;
  try {
    public_id = pool_.transact([&](pqxx::work& tx) {
      plan_limits::lock_account(tx, session->scope);
      plan_limits::require_integration_slot(tx, session->scope, config_.billing.catalog, provider,
                                            exchanged["external_id"].get<std::string>());
      const auto created =
          integration::upsert_connected(tx, session->scope, provider, exchanged["external_id"],
                                        exchanged["name"].get<std::string>(), json::object(), session->user_id);
      integration::set_credentials(tx, session->scope, created.id,
                                   cipher_.seal(exchanged["credentials"].dump(),
                                                integration::credential_binding(session->scope, created.public_id)));
      plan_limits::apply_integration_limits(tx, session->scope, config_.billing.catalog);
      models::audit::record(tx, session->scope, entry("integration.connect", *session, meta, created.public_id));
      return created.public_id;
    });
  } catch (const Error& e) {
    if (e.code() != ErrorCode::payment_required) throw;
    // The token just obtained is not kept: give the grant back too (best effort).
    try {
      revoke(provider, exchanged["external_id"].get<std::string>(), exchanged["credentials"]);
    } catch (const std::exception& failure) {
      log::warn("revoke_skipped", {{"provider", provider}, {"detail", failure.what()}});
    }
    return reject("plan_limit", e.public_message());
  }
  log::info("integration_connected", {{"provider", provider}, {"integration", public_id}});
  return page_url(provider, "connected=" + public_id);
}

}  // namespace otq::services
