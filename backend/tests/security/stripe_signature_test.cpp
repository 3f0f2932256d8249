// Stripe-Signature verification against vectors computed independently (Python's hmac module):
// accepted, rotated secrets, the v0 scheme ignored, and every way a signature can be wrong.
#include "app/security/stripe_signature.hpp"

#include <array>

#include <gtest/gtest.h>

namespace otq::security {
namespace {

const std::string kSecret = "whsec_test_secret_for_omnitrackiq_unit_tests";
const std::string kRotated = "whsec_rotated_secret_for_omnitrackiq_tests";
const std::string kBody = R"({"id":"evt_1","object":"event","type":"invoice.paid","created":1795000000})";
// hmac.new(secret, b"1795000000." + body, sha256).hexdigest(), and for t+1 with kSecret.
const std::string kSig = "d86f80fb2f0a383d32045d19e90678395b86ee82fa079f14e8a3a0dddc4bb798";
const std::string kSigRotated = "909a0bb8dc712a0a3d9f8b770c86bc92fc539402bbe61db5c7a0e02f634798ed";
const std::string kSigNextSecond = "d92542df37ed79e75e8cb80e50ef12b18777f98bddbb38578e44b39ab495a576";
constexpr std::int64_t kT = 1795000000;

StripeSignature check(const std::string& header, const std::string& body, std::vector<std::string> secrets,
                      std::int64_t now = kT + 30) {
  return verify_stripe_signature(header, body, secrets, now);
}

TEST(StripeSignature, AcceptsStripesSignatureAndIgnoresOtherSchemes) {
  EXPECT_EQ(check("t=1795000000,v1=" + kSig, kBody, {kSecret}), StripeSignature::valid);
  EXPECT_EQ(check("t=1795000000,v1=" + kSig + ",v0=abc123", kBody, {kSecret}), StripeSignature::valid);
  EXPECT_EQ(stripe_signature_header(kBody, kSecret, kT), "t=1795000000,v1=" + kSig);
  // During a rotation Stripe signs with both secrets, and we may hold either or both.
  const std::string both = "t=1795000000,v1=" + kSigRotated + ",v1=" + kSig;
  EXPECT_EQ(check(both, kBody, {kSecret}), StripeSignature::valid);
  EXPECT_EQ(check(both, kBody, {kRotated}), StripeSignature::valid);
  EXPECT_EQ(check("t=1795000000,v1=" + kSig, kBody, {kRotated, kSecret}), StripeSignature::valid);
  EXPECT_EQ(check("t=1795000000,v1=" + kSig, kBody, {kSecret}, kT - 299), StripeSignature::valid)
      << "a sender clock slightly ahead";
}

TEST(StripeSignature, RefusesEveryWrongSignature) {
  EXPECT_EQ(check("", kBody, {kSecret}), StripeSignature::missing);
  EXPECT_EQ(check("t=1795000000", kBody, {kSecret}), StripeSignature::malformed);
  EXPECT_EQ(check("v1=" + kSig, kBody, {kSecret}), StripeSignature::malformed);
  EXPECT_EQ(check("t=17950x0000,v1=" + kSig, kBody, {kSecret}), StripeSignature::malformed);
  EXPECT_EQ(check("t=1795000000,v1=" + kSig, kBody, {kRotated}), StripeSignature::mismatch) << "wrong secret";
  EXPECT_EQ(check("t=1795000000,v1=" + kSig, kBody + " ", {kSecret}), StripeSignature::mismatch) << "body altered";
  EXPECT_EQ(check("t=1795000001,v1=" + kSig, kBody, {kSecret}), StripeSignature::mismatch) << "timestamp altered";
  EXPECT_EQ(check("t=1795000001,v1=" + kSigNextSecond, kBody, {kSecret}, kT + 301), StripeSignature::valid);
  EXPECT_EQ(check("t=1795000000,v1=" + kSig, kBody, {kSecret}, kT + 301), StripeSignature::outside_window)
      << "older than 300 s: a replay";
  EXPECT_EQ(check("t=1795000000,v1=" + kSig.substr(0, 63), kBody, {kSecret}), StripeSignature::mismatch);
  EXPECT_EQ(check("t=1795000000,v1=" + kSig, kBody, {}), StripeSignature::mismatch) << "no secret configured";
  EXPECT_NE(describe(StripeSignature::outside_window).find("300 seconds"), std::string_view::npos);
}

}  // namespace
}  // namespace otq::security
