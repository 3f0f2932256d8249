// /api/v1/metrics/*: what users pay for.
#pragma once

#include "app/api/router.hpp"
#include "app/http/message.hpp"
#include "app/services/auth_service.hpp"

namespace otq::api::routes {

/// GET /api/v1/metrics/definitions: every metric's formula, unit and direction.
http::Response get_metric_definitions(AppContext& app, http::Request& req, const services::AuthContext& ctx);
/// GET /api/v1/metrics/summary?from&to&compare=previous_period&platform
http::Response get_metrics_summary(AppContext& app, http::Request& req, const services::AuthContext& ctx);
/// GET /api/v1/metrics/timeseries?from&to&interval&metrics&group_by&platform
http::Response get_metrics_timeseries(AppContext& app, http::Request& req, const services::AuthContext& ctx);
/// GET /api/v1/metrics/campaigns?from&to&platform&sort&order&q&limit&cursor
http::Response get_metrics_campaigns(AppContext& app, http::Request& req, const services::AuthContext& ctx);
/// GET /api/v1/metrics/orders?from&to&status&q&sort&order&limit&cursor
http::Response get_metrics_orders(AppContext& app, http::Request& req, const services::AuthContext& ctx);
/// GET /api/v1/metrics/orders.csv: the same filter, every page, streamed as CSV.
http::Response get_metrics_orders_csv(AppContext& app, http::Request& req, const services::AuthContext& ctx);
/// GET /api/v1/metrics/channels?from&to
http::Response get_metrics_channels(AppContext& app, http::Request& req, const services::AuthContext& ctx);

}  // namespace otq::api::routes
