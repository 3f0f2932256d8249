// /api/v1/ingest/*: batches from n8n and custom sources (docs/ingest.md is the contract).
#pragma once

#include "app/api/router.hpp"
#include "app/http/message.hpp"
#include "app/services/auth_service.hpp"

namespace otq::api::routes {

/// POST /api/v1/ingest/ad-spend
http::Response post_ingest_ad_spend(AppContext& app, http::Request& req, const services::AuthContext& ctx);
/// POST /api/v1/ingest/orders
http::Response post_ingest_orders(AppContext& app, http::Request& req, const services::AuthContext& ctx);

}  // namespace otq::api::routes
