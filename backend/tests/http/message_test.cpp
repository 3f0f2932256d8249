// Request helpers: percent-decoding, query parameters, JSON bodies.
#include "app/http/message.hpp"

#include <gtest/gtest.h>

#include "app/errors.hpp"
#include "app/json_input.hpp"

namespace otq::http {
namespace {

ErrorCode code_of(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const Error& e) {
    return e.code();
  }
  ADD_FAILURE() << "expected an otq::Error";
  return ErrorCode::internal;
}

TEST(PercentDecode, DecodesEscapesAndRejectsBrokenOnes) {
  EXPECT_EQ(percent_decode("a%20b%2Fc").value(), "a b/c");
  EXPECT_EQ(percent_decode("a+b").value(), "a+b");
  EXPECT_EQ(percent_decode("a+b", true).value(), "a b");
  EXPECT_FALSE(percent_decode("%2").has_value());
  EXPECT_FALSE(percent_decode("%zz").has_value());
  EXPECT_FALSE(percent_decode("abc%").has_value());
}

TEST(QueryParam, FindsDecodedValues) {
  Request r;
  r.query = "from=2026-01-01&q=red%20shoes&flag&to=2026-01-31&q=second";
  EXPECT_EQ(r.query_param("from").value(), "2026-01-01");
  EXPECT_EQ(r.query_param("q").value(), "red shoes");
  EXPECT_EQ(r.query_param("flag").value(), "");
  EXPECT_FALSE(r.query_param("missing").has_value());
  r.query = "q=%zz";
  EXPECT_EQ(code_of([&] { (void)r.query_param("q"); }), ErrorCode::invalid_argument);
}

TEST(JsonBody, ParsesObjects) {
  Request r;
  r.headers.add("content-type", "application/json; charset=utf-8");
  r.body = R"({"email":"a@b.co"})";
  EXPECT_EQ(r.json_object()["email"], "a@b.co");
}

TEST(JsonBody, RejectsMalformedEmptyNonObjectAndWrongContentType) {
  Request r;
  r.body = R"({"email": )";
  EXPECT_EQ(code_of([&] { r.json_object(); }), ErrorCode::invalid_argument);
  r.body = "";
  EXPECT_EQ(code_of([&] { r.json_object(); }), ErrorCode::invalid_argument);
  r.body = "[1,2]";
  EXPECT_EQ(code_of([&] { r.json_object(); }), ErrorCode::invalid_argument);
  r.body = "{}";
  r.headers.add("Content-Type", "text/plain");
  EXPECT_EQ(code_of([&] { r.json_object(); }), ErrorCode::invalid_argument);
}

TEST(JsonBody, NumbersBeyondADoubleAndNulCharactersAreTheClientsError) {
  // Both once escaped as 500s: nlohmann throws out_of_range (not parse_error) for 1e400, and a
  // NUL reached PostgreSQL, which cannot store it.
  Request r;
  for (const char* body : {R"({"name":1e400})", R"({"rows":[{"total":-1e999999}]})", R"({"name":"a\u0000b"})",
                           R"({"a\u0000":1})", R"({"deep":[[[{"x":["\u0000"]}]]]})"}) {
    r.body = body;
    EXPECT_EQ(code_of([&] { r.json_object(); }), ErrorCode::invalid_argument) << body;
  }
  r.body = std::string(100000, '[') + std::string(100000, ']');
  EXPECT_EQ(code_of([&] { r.json_object(); }), ErrorCode::invalid_argument) << "deep, and not an object";
  r.body = R"({"name":"caf\u00e9 \u0001 ok","n":1e300})";
  EXPECT_EQ(r.json_object()["name"], "caf\xc3\xa9 \x01 ok") << "other characters are the schemas' business";
}

TEST(JsonBody, NestingIsBoundedSoNoCopyOfTheDocumentCanOverflowAStack) {
  // PATCH /integrations/{id} once copied a 60,000-deep "settings" recursively: a crash (fuzzing).
  Request r;
  auto nested = [](int depth) {
    std::string s = R"({"settings":)";
    for (int i = 0; i < depth; ++i) s += "[";
    for (int i = 0; i < depth; ++i) s += "]";
    return s + "}";
  };
  r.body = nested(63);  // with the outer object: 64 levels
  EXPECT_TRUE(r.json_object().contains("settings"));
  r.body = nested(64);
  try {
    r.json_object();
    ADD_FAILURE() << "65 levels were accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::invalid_argument);
    EXPECT_NE(e.public_message().find("deeper than 64"), std::string::npos) << e.public_message();
  }
  r.body = nested(100000);
  EXPECT_EQ(code_of([&] { r.json_object(); }), ErrorCode::invalid_argument);
  EXPECT_TRUE(parse_untrusted_json(nested(100000)).is_discarded());
  EXPECT_TRUE(nests_deeper_than(nested(100000)));
  EXPECT_FALSE(nests_deeper_than(R"({"a":1})"));
  EXPECT_TRUE(parse_untrusted_json("{\"a\":1e400}").is_discarded()) << "a number beyond a double";
  EXPECT_EQ(parse_untrusted_json(R"({"a":[1,2]})")["a"][1], 2);
}

TEST(Headers, LookupIsCaseInsensitive) {
  Headers h;
  h.add("X-Request-Id", "abc");
  EXPECT_EQ(h.get("x-request-id").value(), "abc");
  EXPECT_FALSE(h.get("x-other").has_value());
}

TEST(Response, HeaderValuesCannotCarryLineBreaks) {
  Response r;
  r.header("Location", "/integrations?provider=facebook_ads");
  EXPECT_EQ(r.headers.size(), 1u);
  EXPECT_THROW(r.header("Location", "/x\r\nSet-Cookie: a=b"), std::invalid_argument);
  EXPECT_THROW(r.header("X-A\nB", "v"), std::invalid_argument);
  EXPECT_THROW(r.header("X-A", std::string("v\0w", 3)), std::invalid_argument);
  EXPECT_EQ(r.headers.size(), 1u) << "nothing half-added";
}

}  // namespace
}  // namespace otq::http
