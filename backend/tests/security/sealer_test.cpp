// AES-256-GCM sealing: round trip, tamper detection, key separation.
#include "app/security/sealer.hpp"

#include <gtest/gtest.h>

#include "app/security/jwt.hpp"

namespace otq::security {
namespace {

TEST(Sealer, RoundTripsAndUsesAFreshNonceEachTime) {
  const Sealer s = Sealer::derive("master-secret-master-secret-000000", "cursor");
  const std::string a = s.seal("2026-11-27T04:00:00.123456Z|42");
  EXPECT_NE(a, s.seal("2026-11-27T04:00:00.123456Z|42"));
  EXPECT_EQ(s.open(a).value(), "2026-11-27T04:00:00.123456Z|42");
  // Nothing of the plaintext is readable, neither in the token nor in its decoded bytes.
  EXPECT_EQ(a.find("2026-11-27"), std::string::npos);
  EXPECT_EQ(base64url_decode(a)->find("2026-11-27T04:00:00.123456Z|42"), std::string::npos);
  EXPECT_EQ(s.open(s.seal("")).value(), "");
}

TEST(Sealer, RejectsTamperingAndOtherKeys) {
  const Sealer s = Sealer::derive("master-secret-master-secret-000000", "cursor");
  const std::string sealed = s.seal("payload");
  std::string raw = *base64url_decode(sealed);
  raw[14] ^= 1;
  EXPECT_FALSE(s.open(base64url_encode(raw)).has_value());
  EXPECT_FALSE(Sealer::derive("master-secret-master-secret-000000", "other").open(sealed).has_value());
  EXPECT_FALSE(s.open("not base64!").has_value());
  EXPECT_FALSE(s.open("").has_value());
  EXPECT_THROW(Sealer("short"), std::invalid_argument);
}

}  // namespace
}  // namespace otq::security
