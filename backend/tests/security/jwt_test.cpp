// Token issue and verification, including the tampering cases an attacker tries.
#include "app/security/jwt.hpp"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <nlohmann/json.hpp>

namespace otq::security {
namespace {

using namespace std::chrono_literals;
const std::string kSecret = "0123456789abcdef0123456789abcdef-test";
const auto kNow = std::chrono::system_clock::time_point(std::chrono::seconds(1'800'000'000));

// Builds a token by hand, signed with HMAC over `md`, so tests can forge what libraries won't.
std::string forge(const nlohmann::json& header, const nlohmann::json& payload, const std::string& secret,
                  const EVP_MD* md = EVP_sha256()) {
  const std::string signing_input = base64url_encode(header.dump()) + "." + base64url_encode(payload.dump());
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(md, secret.data(), static_cast<int>(secret.size()), reinterpret_cast<const unsigned char*>(signing_input.data()),
       signing_input.size(), mac, &len);
  return signing_input + "." + base64url_encode(std::string(reinterpret_cast<char*>(mac), len));
}

nlohmann::json good_payload() {
  const auto t = std::chrono::duration_cast<std::chrono::seconds>(kNow.time_since_epoch()).count();
  return {{"sub", "usr_x"},       {"acc", "acct_y"},          {"role", "owner"}, {"jti", "j1"},
          {"iss", "omnitrackiq"}, {"aud", "omnitrackiq-api"}, {"iat", t},        {"exp", t + 3600}};
}

TEST(Jwt, IssuedTokenVerifiesWithItsClaims) {
  const JwtCodec codec(kSecret);
  const std::string token = codec.issue("usr_1", "acct_2", "admin", kNow);
  const auto r = codec.verify(token, kNow + 1h);
  ASSERT_TRUE(r.claims) << token_error_name(*r.error);
  EXPECT_EQ(r.claims->sub, "usr_1");
  EXPECT_EQ(r.claims->acc, "acct_2");
  EXPECT_EQ(r.claims->role, "admin");
  EXPECT_EQ(r.claims->exp - r.claims->iat, 86400);
  EXPECT_EQ(r.claims->jti.size(), 32u);
  const auto header = nlohmann::json::parse(*base64url_decode(token.substr(0, token.find('.'))));
  EXPECT_EQ(header["alg"], "HS256");
}

TEST(Jwt, ExpiresAfterTwentyFourHours) {
  const JwtCodec codec(kSecret);
  const std::string token = codec.issue("usr_1", "acct_2", "admin", kNow);
  EXPECT_TRUE(codec.verify(token, kNow + 24h - 1s).claims);
  EXPECT_EQ(codec.verify(token, kNow + 24h).error, TokenError::expired);
}

TEST(Jwt, HandForgedValidTokenIsAccepted) {
  // Guards the forging helper itself: without this, the rejections below could pass vacuously.
  const JwtCodec codec(kSecret);
  EXPECT_TRUE(codec.verify(forge({{"alg", "HS256"}, {"typ", "JWT"}}, good_payload(), kSecret), kNow).claims);
}

TEST(Jwt, RejectsAlgNone) {
  const JwtCodec codec(kSecret);
  const std::string unsigned_token =
      base64url_encode(R"({"alg":"none","typ":"JWT"})") + "." + base64url_encode(good_payload().dump()) + ".";
  EXPECT_EQ(codec.verify(unsigned_token, kNow).error, TokenError::malformed);
  const std::string with_sig =
      base64url_encode(R"({"alg":"none"})") + "." + base64url_encode(good_payload().dump()) + ".c2ln";
  EXPECT_EQ(codec.verify(with_sig, kNow).error, TokenError::wrong_algorithm);
}

TEST(Jwt, RejectsOtherAlgorithmsEvenWithTheRightSecret) {
  const JwtCodec codec(kSecret);
  EXPECT_EQ(codec.verify(forge({{"alg", "HS512"}}, good_payload(), kSecret, EVP_sha512()), kNow).error,
            TokenError::wrong_algorithm);
  EXPECT_EQ(codec.verify(forge({{"alg", "HS384"}}, good_payload(), kSecret, EVP_sha384()), kNow).error,
            TokenError::wrong_algorithm);
  EXPECT_EQ(codec.verify(forge({{"alg", "RS256"}}, good_payload(), kSecret), kNow).error, TokenError::wrong_algorithm);
  EXPECT_EQ(codec.verify(forge({{"typ", "JWT"}}, good_payload(), kSecret), kNow).error, TokenError::wrong_algorithm);
}

TEST(Jwt, RejectsEditedPayloadAndOtherSecrets) {
  const JwtCodec codec(kSecret);
  const std::string token = codec.issue("usr_1", "acct_2", "viewer", kNow);
  const auto first = token.find('.');
  const auto second = token.find('.', first + 1);
  auto payload = nlohmann::json::parse(*base64url_decode(token.substr(first + 1, second - first - 1)));
  payload["role"] = "owner";
  const std::string edited = token.substr(0, first) + "." + base64url_encode(payload.dump()) + token.substr(second);
  EXPECT_EQ(codec.verify(edited, kNow).error, TokenError::bad_signature);
  EXPECT_EQ(codec.verify(forge({{"alg", "HS256"}}, good_payload(), "another-secret-another-secret-000"), kNow).error,
            TokenError::bad_signature);
}

TEST(Jwt, ChecksIssuerAudienceExpiryAndRequiredClaims) {
  const JwtCodec codec(kSecret);
  auto with = [&](const std::string& key, const nlohmann::json& value) {
    auto p = good_payload();
    if (value.is_null()) {
      p.erase(key);
    } else {
      p[key] = value;
    }
    return codec.verify(forge({{"alg", "HS256"}}, p, kSecret), kNow).error;
  };
  EXPECT_EQ(with("aud", "someone-else"), TokenError::wrong_audience);
  EXPECT_EQ(with("aud", nullptr), TokenError::wrong_audience);
  EXPECT_EQ(with("iss", "evil"), TokenError::wrong_issuer);
  EXPECT_EQ(with("exp", nullptr), TokenError::missing_claim);
  EXPECT_EQ(with("exp", "tomorrow"), TokenError::missing_claim);
  EXPECT_EQ(with("exp", good_payload()["iat"].get<std::int64_t>() - 1), TokenError::expired);
  EXPECT_EQ(with("iat", good_payload()["iat"].get<std::int64_t>() + 3600), TokenError::not_yet_valid);
  EXPECT_EQ(with("sub", nullptr), TokenError::missing_claim);
  EXPECT_EQ(with("acc", ""), TokenError::missing_claim);
  EXPECT_FALSE(with("aud", nlohmann::json::array({"x", "omnitrackiq-api"})).has_value());
}

TEST(Jwt, RejectsGarbage) {
  const JwtCodec codec(kSecret);
  for (const char* t : {"", "abc", "a.b", "a.b.c.d", "!!!.???.***", "e30.e30.", "e30.e30.e30"}) {
    EXPECT_FALSE(codec.verify(t, kNow).claims) << t;
  }
}

TEST(Base64Url, RoundTrips) {
  for (const std::string& s :
       std::vector<std::string>{"", "f", "fo", "foo", "foob", "fooba", "foobar", std::string("\xff\xfe\x00", 3)}) {
    EXPECT_EQ(base64url_decode(base64url_encode(s)).value(), s);
  }
  EXPECT_EQ(base64url_encode("\xfb\xff"), "-_8");
  EXPECT_FALSE(base64url_decode("a+b/").has_value());
}

}  // namespace
}  // namespace otq::security
