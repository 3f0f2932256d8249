// Router matching: literal and parameter segments, 405 candidates, HEAD as GET.
#include "app/http/router.hpp"

#include <gtest/gtest.h>

#include "app/http/pipeline.hpp"

namespace otq::http {
namespace {

Router make_router() {
  Router r;
  auto ok = [](Request&) { return Response::json(200, {{"ok", true}}); };
  r.add({Method::get, "/api/v1/items", Access::public_route, Runs::on_io_thread, ok});
  r.add({Method::post, "/api/v1/items", Access::public_route, Runs::on_worker, ok});
  r.add({Method::get, "/api/v1/items/{id}", Access::public_route, Runs::on_worker, ok});
  r.add({Method::del, "/api/v1/items/{id}", Access::public_route, Runs::on_worker, ok});
  return r;
}

TEST(Router, MatchesLiteralRoutesByMethod) {
  const Router r = make_router();
  auto m = r.match(Method::post, "/api/v1/items");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.route->method, Method::post);
}

TEST(Router, ExtractsAndDecodesParameters) {
  const Router r = make_router();
  auto m = r.match(Method::get, "/api/v1/items/ord_a%2Fb");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.route->pattern, "/api/v1/items/{id}");
  EXPECT_EQ(m.params.at("id"), "ord_a/b");
}

TEST(Router, UnknownPathHasNoCandidates) {
  const Router r = make_router();
  auto m = r.match(Method::get, "/api/v1/nothing");
  EXPECT_EQ(m.route, nullptr);
  EXPECT_TRUE(m.allowed.empty());
  EXPECT_EQ(r.match(Method::get, "/api/v1/items/").route, nullptr) << "an empty parameter never matches";
  EXPECT_EQ(r.match(Method::get, "/api/v1/items/1/extra").route, nullptr);
}

TEST(Router, WrongMethodListsTheAllowedOnes) {
  const Router r = make_router();
  auto m = r.match(Method::put, "/api/v1/items/42");
  EXPECT_EQ(m.route, nullptr);
  EXPECT_EQ(m.allowed, (std::vector<Method>{Method::get, Method::del}));
}

TEST(Router, HeadIsServedByGet) {
  const Router r = make_router();
  auto m = r.match(Method::head, "/api/v1/items");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.route->method, Method::get);
}

TEST(RequestId, AcceptsSaneIncomingIdsAndReplacesOthers) {
  EXPECT_EQ(choose_request_id("trace-abc_123:4.5"), "trace-abc_123:4.5");
  const std::string generated = choose_request_id(std::nullopt);
  EXPECT_EQ(generated.size(), 28u);
  EXPECT_TRUE(generated.starts_with("req_"));
  EXPECT_NE(choose_request_id(std::nullopt), generated);
  EXPECT_TRUE(choose_request_id("bad id with spaces").starts_with("req_"));
  EXPECT_TRUE(choose_request_id("{\"inject\":1}").starts_with("req_"));
  EXPECT_TRUE(choose_request_id(std::string(129, 'a')).starts_with("req_"));
  EXPECT_TRUE(choose_request_id("").starts_with("req_"));
}

}  // namespace
}  // namespace otq::http
