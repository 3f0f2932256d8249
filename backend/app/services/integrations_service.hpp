// Integrations: the provider catalogue with each connection's honest status, settings, "sync
// now", disconnect, sync history, and connecting (OAuth with signed single-use state, or keys).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "app/config.hpp"
#include "app/connectors/http_client.hpp"
#include "app/db.hpp"
#include "app/schemas/integrations.hpp"
#include "app/security/credential_cipher.hpp"
#include "app/services/auth_service.hpp"

namespace otq::services {

struct ConnectResult {
  int status = 200;  ///< 200 {url} for OAuth, 201 {data} for a key-based connection
  nlohmann::json body;
};

class IntegrationsService {
 public:
  /// `state_secret` signs OAuth states (derived from JWT_SECRET by the caller).
  IntegrationsService(db::Pool& pool, const Config& config, security::CredentialCipher cipher,
                      std::string state_secret);

  nlohmann::json list(const AuthContext& ctx);
  nlohmann::json get(const AuthContext& ctx, const std::string& id);
  nlohmann::json update(const AuthContext& ctx, const std::string& id, const schemas::integrations::PatchRequest& req,
                        const RequestMeta& meta);
  /// Revokes the token at the provider where it allows (best effort), deletes the credentials,
  /// keeps every synced row and run.
  nlohmann::json disconnect(const AuthContext& ctx, const std::string& id, const RequestMeta& meta);
  /// Queues a sync now: conflict when one is running or the connection needs the user first.
  nlohmann::json sync_now(const AuthContext& ctx, const std::string& id, const RequestMeta& meta);
  /// The Meta ad accounts the connection's login can read, each marked selected when it syncs
  /// (GET /me/adaccounts, live): the settings picker.
  nlohmann::json ad_accounts(const AuthContext& ctx, const std::string& id);
  nlohmann::json runs(const AuthContext& ctx, const std::string& id, const std::map<std::string, std::string>& query);

  ConnectResult connect(const AuthContext& ctx, const std::string& provider, std::string_view body,
                        const RequestMeta& meta);

  /// The provider redirected the browser back. `session` is the caller's cookie session, if any.
  /// Returns where to send the browser: the integrations page with the outcome in its query.
  std::string callback(const std::string& provider, const std::map<std::string, std::string>& query,
                       const std::optional<AuthContext>& session, const RequestMeta& meta);

 private:
  std::string redirect_uri(std::string_view provider) const;
  std::string sign_state(const nlohmann::json& payload) const;
  std::optional<nlohmann::json> verify_state(std::string_view state) const;
  nlohmann::json exchange_meta(const std::string& code);
  nlohmann::json exchange_shopify(const std::string& shop, const std::string& code);
  void revoke(const std::string& provider, const std::string& external_account_id, const nlohmann::json& credentials);

  db::Pool& pool_;
  const Config& config_;
  security::CredentialCipher cipher_;
  std::string state_key_;
  connectors::HttpClient http_;
};

}  // namespace otq::services
