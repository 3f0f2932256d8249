// The OpenAPI document and the router must describe the same set of routes.
#include <set>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "app/api/router.hpp"
#include "app/embedded.hpp"
#include "tests/support/routes.hpp"

namespace otq::api {
namespace {

std::set<std::string> router_operations() {
  std::set<std::string> out;
  for (const auto& r : otq::testing::api_routes()) {
    std::string method(http::method_name(r.method));
    std::transform(method.begin(), method.end(), method.begin(), ::tolower);
    out.insert(method + " " + r.pattern);
  }
  return out;
}

std::set<std::string> document_operations(const nlohmann::json& doc) {
  const std::string base = doc["servers"][0]["url"];
  std::set<std::string> out;
  for (const auto& [path, item] : doc["paths"].items()) {
    for (const auto& [method, op] : item.items()) {
      if (method == "parameters") continue;
      out.insert(method + " " + base + path);
    }
  }
  return out;
}

TEST(OpenApi, DocumentIsOpenApi31WithTheV1Server) {
  const auto doc = nlohmann::json::parse(embedded::openapi_document());
  EXPECT_EQ(doc["openapi"], "3.1.0");
  EXPECT_EQ(doc["servers"][0]["url"], "/api/v1");
}

TEST(OpenApi, EveryRouteIsDocumentedAndEveryDocumentedRouteExists) {
  const auto doc = nlohmann::json::parse(embedded::openapi_document());
  const auto in_router = router_operations();
  const auto in_doc = document_operations(doc);
  for (const auto& op : in_router) EXPECT_TRUE(in_doc.contains(op)) << "route missing from openapi.json: " << op;
  for (const auto& op : in_doc) EXPECT_TRUE(in_router.contains(op)) << "documented route not in the router: " << op;
}

TEST(OpenApi, EveryOperationHasAnIdAndResponses) {
  const auto doc = nlohmann::json::parse(embedded::openapi_document());
  std::set<std::string> ids;
  for (const auto& [path, item] : doc["paths"].items()) {
    for (const auto& [method, op] : item.items()) {
      if (method == "parameters") continue;
      ASSERT_TRUE(op.contains("operationId")) << method << " " << path;
      EXPECT_TRUE(ids.insert(op["operationId"]).second) << "duplicate operationId " << op["operationId"];
      EXPECT_FALSE(op["responses"].empty()) << method << " " << path;
    }
  }
}

}  // namespace
}  // namespace otq::api
