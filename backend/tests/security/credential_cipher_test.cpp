// Credentials at rest: the key ring, rotation, binding to the row, and loud failure on a wrong key.
#include "app/security/credential_cipher.hpp"

#include <gtest/gtest.h>

#include "app/schemas/ingest.hpp"
#include "app/security/digest.hpp"

namespace otq::security {
namespace {

const std::string kHexKey(64, 'a');
const std::string kBase64Key = "ERERERERERERERERERERERERERERERERERERERERERE=";  // 32 bytes of 0x11

TEST(CredentialCipher, SealsUnderTheFirstKeyAndOpensWithItsId) {
  const auto ring = CredentialCipher::parse("k2:" + kHexKey + ", k1:" + kBase64Key);
  EXPECT_EQ(ring.active_key_id(), "k2");
  const std::string plain = R"({"access_token":"EAAB-secret"})";
  const auto sealed = ring.seal(plain, "acct:1/int:7");
  EXPECT_EQ(sealed.key_id, "k2");
  EXPECT_EQ(sealed.ciphertext.find("EAAB-secret"), std::string::npos) << "ciphertext, not plaintext";
  EXPECT_EQ(sealed.ciphertext.size(), 12 + plain.size() + 16) << "nonce | ciphertext | tag";
  EXPECT_EQ(ring.open(sealed, "acct:1/int:7"), plain);
  EXPECT_NE(ring.seal("same", "b").ciphertext, ring.seal("same", "b").ciphertext) << "a fresh nonce every time";
}

TEST(CredentialCipher, RotationKeepsOldCiphertextsReadable) {
  const auto old_ring = CredentialCipher::parse("k1:" + kBase64Key);
  const auto sealed = old_ring.seal("token", "b");
  const auto new_ring = CredentialCipher::parse("k2:" + kHexKey + ",k1:" + kBase64Key);
  EXPECT_EQ(new_ring.open(sealed, "b"), "token");
  EXPECT_EQ(new_ring.seal("token", "b").key_id, "k2");
}

TEST(CredentialCipher, AWrongKeyAnUnknownIdAlteredBytesOrAnotherRowFailLoudly) {
  const auto ring = CredentialCipher::parse("k1:" + kBase64Key);
  const auto sealed = ring.seal("token", "acct:1/int:7");
  // Same id, different key: authentication fails, never garbage.
  const auto impostor = CredentialCipher::parse("k1:" + kHexKey);
  EXPECT_THROW((void)impostor.open(sealed, "acct:1/int:7"), CredentialError);
  EXPECT_THROW((void)CredentialCipher::parse("k9:" + kHexKey).open(sealed, "acct:1/int:7"), CredentialError);
  auto altered = sealed;
  altered.ciphertext[14] = static_cast<char>(altered.ciphertext[14] ^ 1);
  EXPECT_THROW((void)ring.open(altered, "acct:1/int:7"), CredentialError);
  EXPECT_THROW((void)ring.open(sealed, "acct:2/int:7"), CredentialError) << "bound to its row";
  try {
    (void)CredentialCipher::parse("k9:" + kHexKey).open(sealed, "acct:1/int:7");
  } catch (const CredentialError& e) {
    EXPECT_NE(std::string(e.what()).find("'k1'"), std::string::npos) << "names the missing key id";
  }
}

TEST(CredentialCipher, BadSpecsAreRefusedWithAReason) {
  auto message = [](const std::string& spec) {
    try {
      (void)CredentialCipher::parse(spec);
    } catch (const std::invalid_argument& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  EXPECT_NE(message("").find("no key"), std::string::npos);
  EXPECT_NE(message(kHexKey).find("id:key"), std::string::npos);
  EXPECT_NE(message("k1:c2hvcnQ=").find("32 bytes"), std::string::npos);
  EXPECT_NE(message("bad id:" + kHexKey).find("key id"), std::string::npos);
  EXPECT_NE(message("k1:" + kHexKey + ",k1:" + kBase64Key).find("twice"), std::string::npos);
}

TEST(Digest, HmacAndBase64MatchKnownVectors) {
  // RFC 4231 test case 2.
  EXPECT_EQ(to_hex(hmac_sha256("Jefe", "what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  EXPECT_EQ(base64_encode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(base64_encode("fo"), "Zm8=");
  EXPECT_TRUE(constant_time_equal("abc", "abc"));
  EXPECT_FALSE(constant_time_equal("abc", "abd"));
  EXPECT_FALSE(constant_time_equal("abc", "abcd"));
}

TEST(IngestFormat, TimestampsDatesAndUtms) {
  using namespace schemas::ingest;
  EXPECT_TRUE(is_rfc3339("2026-11-01T03:30:00Z"));
  EXPECT_TRUE(is_rfc3339("2008-01-10T11:00:00-05:00"));
  EXPECT_TRUE(is_rfc3339("2026-11-01T03:30:00.123456+01:00"));
  EXPECT_FALSE(is_rfc3339("2026-11-01T03:30:00")) << "no offset: ambiguous";
  EXPECT_FALSE(is_rfc3339("2026-02-30T03:30:00Z"));
  EXPECT_FALSE(is_rfc3339("2026-11-01T24:00:00Z"));
  EXPECT_TRUE(is_rfc3339("2026-11-01T03:30:00+14:00")) << "Kiribati";
  EXPECT_FALSE(is_rfc3339("2026-11-01T03:30:00+16:00")) << "PostgreSQL's limit";
  EXPECT_TRUE(is_iso_date("2024-02-29"));
  EXPECT_FALSE(is_iso_date("2026-02-29"));
  const Utm u =
      parse_utm("http://www.example.com/p?x=1&utm_source=face%20book&UTM_Medium=paid+social&utm_campaign=bf#top");
  EXPECT_EQ(u.source, "face book");
  EXPECT_EQ(u.medium, "paid social");
  EXPECT_EQ(u.campaign, "bf");
  EXPECT_FALSE(u.term.has_value());
  EXPECT_FALSE(parse_utm("/products/shoe").source.has_value());
  const Utm clicks = parse_utm("/?fbclid=IwAR1&gclid=Cj0K%2D1&ttclid=E.C.P&fbclid=second");
  EXPECT_EQ(clicks.fbclid, "IwAR1") << "the first occurrence wins";
  EXPECT_EQ(clicks.gclid, "Cj0K-1");
  EXPECT_EQ(clicks.ttclid, "E.C.P");
  EXPECT_EQ(ad_platform("meta"), "facebook_ads");
  EXPECT_FALSE(ad_platform("snapchat").has_value());
}

}  // namespace
}  // namespace otq::security
