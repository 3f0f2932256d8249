// Builds the router once with throwaway services, keeping only what describes each route.
#include "tests/support/routes.hpp"

#include "app/api/router.hpp"
#include "app/clock.hpp"
#include "tests/support/crypto.hpp"

namespace otq::testing {

std::vector<RouteInfo> api_routes() {
  const Config config{};
  db::Pool pool(db::PoolOptions{});  // never connects: connections open lazily
  services::AuthGate auth(pool, security::JwtCodec(std::string(40, 's')), 10, system_clock());
  services::AccountService accounts(pool, "http://localhost", false);
  services::MetricsService metrics(pool, config.billing.catalog);
  services::IngestService ingest(pool);
  services::IntegrationsService integrations(pool, config, test_credential_cipher(), "state-secret");
  services::BillingService billing(pool, config);
  services::ShopifyWebhooks shopify_webhooks(pool, config);
  services::DataRights data_rights(pool);
  api::AppContext app{config, pool,         auth,    accounts,         metrics,
                      ingest, integrations, billing, shopify_webhooks, data_rights};
  std::vector<RouteInfo> out;
  const http::Router router = api::build_router(app);
  for (const auto& r : router.routes()) out.push_back({r.method, r.pattern, r.access});
  return out;
}

}  // namespace otq::testing
