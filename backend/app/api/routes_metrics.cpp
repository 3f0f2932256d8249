// Metrics handlers.
#include "app/api/routes_metrics.hpp"

#include "app/analytics/definitions.hpp"

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
