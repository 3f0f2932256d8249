// The error table and envelope: every code has a status and the envelope has exactly three fields.
#include "app/api/errors.hpp"

#include <gtest/gtest.h>

namespace otq::api {
namespace {

TEST(ErrorTable, EachCodeMapsToItsStatus) {
  const std::vector<std::pair<ErrorCode, int>> expected{
      {ErrorCode::invalid_argument, 400}, {ErrorCode::unauthenticated, 401},   {ErrorCode::payment_required, 402},
      {ErrorCode::forbidden, 403},        {ErrorCode::not_found, 404},         {ErrorCode::method_not_allowed, 405},
      {ErrorCode::conflict, 409},         {ErrorCode::payload_too_large, 413}, {ErrorCode::unprocessable, 422},
      {ErrorCode::rate_limited, 429},     {ErrorCode::internal, 500},          {ErrorCode::upstream, 502},
      {ErrorCode::unavailable, 503}};
  for (const auto& [code, status] : expected) EXPECT_EQ(http_status(code), status) << error_code_name(code);
}

TEST(ErrorEnvelope, HasCodeMessageAndRequestIdOnly) {
  const auto r = error_response(ErrorCode::conflict, "Email already registered.", "req_1");
  EXPECT_EQ(r.status, 409);
  const auto body = nlohmann::json::parse(r.body);
  ASSERT_EQ(body.size(), 1u);
  ASSERT_EQ(body["error"].size(), 3u);
  EXPECT_EQ(body["error"]["code"], "conflict");
  EXPECT_EQ(body["error"]["message"], "Email already registered.");
  EXPECT_EQ(body["error"]["request_id"], "req_1");
}

TEST(ErrorEnvelope, InternalErrorSaysNothingAboutTheCause) {
  const auto r = internal_error_response("req_2");
  EXPECT_EQ(r.status, 500);
  const auto body = nlohmann::json::parse(r.body);
  EXPECT_EQ(body["error"]["code"], "internal");
  EXPECT_EQ(body["error"]["request_id"], "req_2");
}

}  // namespace
}  // namespace otq::api
