// Metrics handlers.
#include "app/api/routes_metrics.hpp"

#include "app/analytics/definitions.hpp"
#include "app/schemas/metrics.hpp"

namespace otq::api::routes {

http::Response get_metric_definitions(AppContext&, http::Request&, const services::AuthContext&) {
  nlohmann::json data = nlohmann::json::array();
  for (const auto& d : analytics::metric_definitions()) {
    data.push_back({{"name", d.name},
                    {"label", d.label},
                    {"formula", d.formula},
                    {"description", d.meaning},
                    {"unit", analytics::unit_name(d.unit)},
                    {"higher_is_better", d.higher_is_better ? nlohmann::json(*d.higher_is_better) : nlohmann::json()},
                    {"zero_denominator", "null"}});
  }
  return http::Response::json(200, {{"data", data}});
}

}  // namespace otq::api::routes

namespace otq::api::routes {

http::Response get_metrics_summary(AppContext& app, http::Request& req, const services::AuthContext& ctx) {
  return http::Response::json(200, app.metrics.summary(ctx, schemas::metrics::parse_summary(req.query)));
}

http::Response get_metrics_timeseries(AppContext& app, http::Request& req, const services::AuthContext& ctx) {
  return http::Response::json(200, app.metrics.timeseries(ctx, schemas::metrics::parse_timeseries(req.query)));
}

http::Response get_metrics_campaigns(AppContext& app, http::Request& req, const services::AuthContext& ctx) {
  return http::Response::json(200, app.metrics.campaigns(ctx, schemas::metrics::parse_campaigns(req.query)));
}

http::Response get_metrics_orders(AppContext& app, http::Request& req, const services::AuthContext& ctx) {
  return http::Response::json(200, app.metrics.orders(ctx, schemas::metrics::parse_orders(req.query)));
}

http::Response get_metrics_orders_csv(AppContext& app, http::Request& req, const services::AuthContext& ctx) {
  http::Response res;
  res.status = 200;
  res.content_type = "text/csv; charset=utf-8";
  res.stream = app.metrics.orders_csv(ctx, schemas::metrics::parse_orders(req.query));
  res.header("Content-Disposition", "attachment; filename=\"orders.csv\"");
  res.header("Cache-Control", "no-store");
  return res;
}

http::Response get_metrics_channels(AppContext& app, http::Request& req, const services::AuthContext& ctx) {
  return http::Response::json(200, app.metrics.channels(ctx, schemas::metrics::parse_range_only(req.query)));
}

}  // namespace otq::api::routes
