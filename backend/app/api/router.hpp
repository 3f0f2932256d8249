// The route table: the only place a URL appears. The OpenAPI test reads it.
#pragma once

#include "app/config.hpp"
#include "app/db.hpp"
#include "app/http/router.hpp"
#include "app/services/account_service.hpp"
#include "app/services/auth_service.hpp"
#include "app/services/billing_service.hpp"
#include "app/services/data_rights.hpp"
#include "app/services/ingest_service.hpp"
#include "app/services/integrations_service.hpp"
#include "app/services/metrics_service.hpp"
#include "app/services/shopify_webhooks.hpp"

namespace otq::api {

/// What handlers may use; owned by main (or a test) and outliving the server.
struct AppContext {
  const Config& config;
  db::Pool& pool;
  services::AuthGate& auth;
  services::AccountService& accounts;
  services::MetricsService& metrics;
  services::IngestService& ingest;
  services::IntegrationsService& integrations;
  services::BillingService& billing;
  services::ShopifyWebhooks& shopify_webhooks;
  services::DataRights& data_rights;
};

/// Every route of the API under /api/v1.
http::Router build_router(AppContext& app);

}  // namespace otq::api
