// Fuzz target: security::verify_stripe_signature. The input is "<Stripe-Signature header>\n<raw body>".
//
// Contract: it returns one of its results and throws nothing, and:
// - a fuzzed header verifies only if it carries HMAC-SHA256(secret, "<t>.<body>") for one of the
//   secrets and a t within 300 s of now (recomputed here with OpenSSL directly): without the
//   secret, nothing verifies;
// - a header the target signs itself (stripe_signature_header, checked against an independent
//   construction) is valid within the window and outside_window beyond it, for either secret of a
//   rotation; the same header is a mismatch for another secret, another body or another t.
// The target's own t is the header line when that is a bare integer, so the fuzzer reaches any t.
#include <openssl/hmac.h>

#include <charconv>
#include <vector>

#include "app/security/stripe_signature.hpp"
#include "contract.hpp"

namespace {

using otq::fuzz::require;
using otq::security::StripeSignature;
namespace security = otq::security;

constexpr std::int64_t kNow = 1795000030;  // the fixture's clock (shared/fixtures/stripe)
const std::vector<std::string> kSecrets{"whsec_omnitrackiqTestSecretNotReal0123456789", "whsec_rotatedSecondSecret42"};

std::string reference_v1(const std::string& secret, std::string_view t, std::string_view body) {
  const std::string message = std::string(t) + "." + std::string(body);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(message.data()), message.size(), mac, &len);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < len; ++i) {
    hex += kHex[mac[i] >> 4];
    hex += kHex[mac[i] & 15];
  }
  return hex;
}

StripeSignature verify(std::string_view header, std::string_view body, const std::vector<std::string>& secrets) {
  StripeSignature r = StripeSignature::missing;
  otq::fuzz::expect_no_throw("verify_stripe_signature",
                             [&] { r = security::verify_stripe_signature(header, body, secrets, kNow); });
  require(!security::describe(r).empty(), "describe", "an empty reason");
  return r;
}

// A fuzzed header: valid only with a real signature over one of its t values.
void check_fuzzed(std::string_view header, std::string_view body) {
  if (verify(header, body, kSecrets) != StripeSignature::valid) return;
  bool justified = false;
  for (std::size_t at = header.find("t="); at != std::string_view::npos; at = header.find("t=", at + 1)) {
    const std::string_view t = header.substr(at + 2, header.find(',', at) - (at + 2));
    std::int64_t value = 0;
    const auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), value);
    if (ec != std::errc{} || end != t.data() + t.size() || value < kNow - 300 || value > kNow + 300) continue;
    for (const auto& secret : kSecrets) {
      if (header.find("v1=" + reference_v1(secret, t, body)) != std::string_view::npos) justified = true;
    }
  }
  require(justified, "verify_stripe_signature", "a header without a signature over the body verified");
}

// A header signed here: the verifier must agree with the signer, and only for this secret and body.
void check_signed(std::int64_t t, std::string_view body) {
  for (std::size_t k = 0; k < kSecrets.size(); ++k) {
    const std::string header = security::stripe_signature_header(body, kSecrets[k], t);
    const std::string t_text = std::to_string(t);
    require(header == "t=" + t_text + ",v1=" + reference_v1(kSecrets[k], t_text, body), "stripe_signature_header",
            "differs from t=<t>,v1=hex(HMAC-SHA256(secret, <t>.<body>))");
    const bool in_window = t >= kNow - 300 && t <= kNow + 300;
    const auto expected = in_window ? StripeSignature::valid : StripeSignature::outside_window;
    require(verify(header, body, kSecrets) == expected, "verify_stripe_signature", "own signature, t=" + t_text);
    // A second v1 (another secret during a rotation) and a v0 change nothing.
    require(verify("v1=" + std::string(64, '0') + ", " + header + ",v0=abc", body, kSecrets) == expected,
            "verify_stripe_signature", "own signature among other schemes");
    require(verify(header, body, {kSecrets[1 - k]}) == StripeSignature::mismatch, "verify_stripe_signature",
            "verified under the other secret");
    require(verify(header, std::string(body) + " ", kSecrets) == StripeSignature::mismatch, "verify_stripe_signature",
            "verified another body");
    const std::string other_t = "t=" + std::to_string(t == 0 ? 1 : t / 2) + header.substr(header.find(','));
    require(verify(other_t, body, kSecrets) == StripeSignature::mismatch, "verify_stripe_signature",
            "verified another t");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return otq::fuzz::run_input([&] {
    const std::string_view input = otq::fuzz::as_text(data, size);
    const auto newline = input.find('\n');
    const std::string_view header = input.substr(0, newline);
    const std::string_view body = newline == std::string_view::npos ? std::string_view{} : input.substr(newline + 1);
    check_fuzzed(header, body);
    std::int64_t t = kNow - static_cast<std::int64_t>(body.size() % 700);  // inside and outside the window
    std::int64_t parsed = 0;
    const auto [end, ec] = std::from_chars(header.data(), header.data() + header.size(), parsed);
    if (ec == std::errc{} && end == header.data() + header.size()) t = parsed;
    check_signed(t, body);
  });
}
