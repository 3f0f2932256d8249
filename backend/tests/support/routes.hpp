// The API's route table as tests need it: method, pattern and access of every route, read from
// the real api::build_router (handlers are not called, so the services never touch a database).
#pragma once

#include <string>
#include <vector>

#include "app/http/router.hpp"

namespace otq::testing {

struct RouteInfo {
  http::Method method;
  std::string pattern;
  http::Access access;
};

std::vector<RouteInfo> api_routes();

}  // namespace otq::testing
