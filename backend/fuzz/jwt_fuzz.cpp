// Fuzz target: security::JwtCodec (libjwt underneath) with arbitrary tokens, tokens this target signs
// from fuzzed header and payload JSON, and tokens the codec issues for fuzzed claims.
//
// Contract: verify() throws nothing and gives a result or an error, never both. The algorithm is
// pinned: a token verifies only if its header says exactly HS256 and its third part is
// HMAC-SHA256(secret, "<part 1>.<part 2>") (recomputed here with OpenSSL), so a fuzzed token, an
// unsigned ("alg": "none") one and one signed with another secret never do. What verifies has the
// claims its payload says, iss/aud of this server, exp in the future and iat not beyond the leeway.
// A token issue() makes verifies with the same claims until it expires, and not after, nor with
// another secret, nor with a changed signature.
#include <openssl/hmac.h>

#include "app/security/jwt.hpp"
#include "contract.hpp"

namespace {

using nlohmann::json;
using otq::fuzz::require;
using otq::security::JwtCodec;
using otq::security::TokenError;
using Clock = std::chrono::system_clock;
namespace security = otq::security;

const std::string kSecret = "fuzz-jwt-secret-0123456789abcdef-0123456789";
const Clock::time_point kNow = Clock::time_point(std::chrono::seconds(1795000000));
constexpr std::int64_t kNowSeconds = 1795000000;

const JwtCodec& codec() {
  static const JwtCodec c(kSecret);
  return c;
}

// Base64url without padding, written out here so the check does not lean on the code it checks.
std::string b64url(std::string_view data) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  std::uint32_t buffer = 0;
  int bits = 0;
  for (const char c : data) {
    buffer = (buffer << 8) | static_cast<unsigned char>(c);
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out += kAlphabet[(buffer >> bits) & 63];
    }
  }
  if (bits > 0) out += kAlphabet[(buffer << (6 - bits)) & 63];
  return out;
}

std::string hmac(const std::string& secret, std::string_view message) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(message.data()), message.size(), mac, &len);
  return {reinterpret_cast<const char*>(mac), len};
}

JwtCodec::Result verify(std::string_view token, const JwtCodec& with = codec(), Clock::time_point now = kNow) {
  JwtCodec::Result r;
  otq::fuzz::expect_no_throw("JwtCodec::verify", [&] { r = with.verify(token, now); });
  require(r.claims.has_value() != r.error.has_value(), "JwtCodec::verify", "claims and an error, or neither");
  return r;
}

// What a verified token must be: signed with the secret, HS256, and carrying the claims it says.
void check_verified(std::string_view token, const JwtCodec::Result& r) {
  if (!r.claims) return;
  const std::string check = "JwtCodec::verify/accepted";
  const auto dot1 = token.find('.');
  const auto dot2 = token.find('.', dot1 + 1);
  require(dot1 != std::string_view::npos && dot2 != std::string_view::npos, check, "not three parts");
  const std::string_view signing_input = token.substr(0, dot2);
  const std::string_view signature = token.substr(dot2 + 1);
  const std::string expected = b64url(hmac(kSecret, signing_input));
  if (signature != expected) {
    // The MAC is right if libjwt accepted it; only its spelling differs (padding or trailing bits).
    require(signature.substr(0, expected.size() - 1) == expected.substr(0, expected.size() - 1),
            "JwtCodec::verify/forged", "a signature that is not HMAC-SHA256 with the secret verified");
    otq::fuzz::violation("JwtCodec::verify/non_canonical_signature",
                         "a second spelling of the signature verified: " + std::string(signature));
  }
  const auto header = security::base64url_decode(token.substr(0, dot1));
  const json h = header ? json::parse(*header, nullptr, false) : json();
  require(h.is_object() && h.value("alg", json()) == "HS256", check, "alg is not HS256: " + h.dump());
  const auto payload = security::base64url_decode(token.substr(dot1 + 1, dot2 - dot1 - 1));
  const json p = payload ? json::parse(*payload, nullptr, false) : json();
  require(p.is_object(), check, "the payload is not a JSON object here");
  const auto& c = *r.claims;
  require(!c.sub.empty() && !c.acc.empty() && !c.role.empty() && !c.jti.empty(), check, "an empty claim");
  require(p.value("sub", json()) == c.sub && p.value("acc", json()) == c.acc && p.value("role", json()) == c.role &&
              p.value("jti", json()) == c.jti,
          check, "claims differ from the payload: " + p.dump(-1, ' ', false, json::error_handler_t::replace));
  require(p.value("iss", json()) == "omnitrackiq", check, "iss");
  require(c.exp > kNowSeconds && c.iat <= kNowSeconds + 60, check, "exp/iat outside the window");
}

// A token signed here from fuzzed header and payload texts.
void check_signed(std::string_view header, std::string_view payload) {
  const std::string signing_input = b64url(header) + "." + b64url(payload);
  const std::string token = signing_input + "." + b64url(hmac(kSecret, signing_input));
  const auto r = verify(token);
  check_verified(token, r);
  if (r.claims) {
    const json h = json::parse(header, nullptr, false);
    require(h.is_object() && h.value("alg", json()) == "HS256", "JwtCodec::verify/alg_pinned",
            "accepted header " + std::string(header));
  }
  // Unsigned, and signed with another secret: never.
  require(!verify(signing_input + ".").claims, "JwtCodec::verify/alg_none", "an unsigned token verified");
  const std::string other = signing_input + "." + b64url(hmac(kSecret + "x", signing_input));
  require(!verify(other).claims, "JwtCodec::verify/other_secret", "a token signed with another secret verified");
}

// Printable text for a claim (what issue() gets is always a public id or a role name).
std::string claim_text(std::string_view s) {
  std::string out(s.substr(0, 200));
  for (auto& c : out) {
    if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) > 0x7e) c = '?';
  }
  return out;
}

void check_round_trip(std::string_view input) {
  std::string parts[3];
  for (auto& part : parts) {
    const auto nl = input.find('\n');
    part = claim_text(input.substr(0, nl));
    input = nl == std::string_view::npos ? std::string_view{} : input.substr(nl + 1);
  }
  std::string token;
  otq::fuzz::expect_no_throw("JwtCodec::issue", [&] { token = codec().issue(parts[0], parts[1], parts[2], kNow); });
  const std::string check = "JwtCodec::issue/round_trip";
  const auto r = verify(token);
  if (parts[0].empty() || parts[1].empty() || parts[2].empty()) {
    require(r.error == TokenError::missing_claim, check, "a token with an empty claim");
    return;
  }
  require(r.claims && r.claims->sub == parts[0] && r.claims->acc == parts[1] && r.claims->role == parts[2], check,
          "its own token does not verify with its claims: " + token);
  check_verified(token, r);
  require(verify(token, codec(), kNow + security::kTokenLifetime).error == TokenError::expired, check,
          "still valid at exp");
  require(verify(token, codec(), kNow - std::chrono::seconds(61)).error == TokenError::not_yet_valid, check,
          "valid before iat - 60 s");
  require(verify(token, JwtCodec(kSecret + "-other")).error == TokenError::bad_signature, check,
          "valid under another secret");
  std::string changed = token;
  char& c = changed[changed.rfind('.') + 10];
  c = c == 'A' ? 'B' : 'A';
  require(!verify(changed).claims, check, "valid with a changed signature");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return otq::fuzz::run_input([&] {
    const std::string_view input = otq::fuzz::as_text(data, size);
    check_verified(input, verify(input));
    const auto nl = input.find('\n');
    if (nl != std::string_view::npos) check_signed(input.substr(0, nl), input.substr(nl + 1));
    check_round_trip(input);
    const auto decoded = security::base64url_decode(security::base64url_encode(input));
    require(decoded && *decoded == input, "base64url", "decode(encode(x)) != x");
    require(security::base64url_encode(input) == b64url(input), "base64url", "encode differs from RFC 7515");
  });
}
