// Fuzz target: the Shopify webhook signature check (X-Shopify-Hmac-Sha256 over the raw body). The input
// is "<header value>\n<raw body>".
//
// services::valid_shopify_hmac lives in services/shopify_webhooks.cpp, whose other functions need
// the database, the models and the telemetry, so linking it would bring in most of otq_core. This
// target runs the same check through the same security/digest functions it is made of
// (hmac_sha256, base64_encode, constant_time_equal), as the copy below; keep it in step.
//
// Contract: nothing throws; a fuzzed header verifies only if it is exactly
// base64(HMAC-SHA256(secret, body)) (recomputed here with OpenSSL and a hand-written base64); the
// signature this target computes verifies, and not for another secret, another body, with
// whitespace or padding changed, with an empty secret or an empty header. base64_encode is RFC
// 4648 and constant_time_equal is ==.
#include <openssl/hmac.h>

#include "app/security/digest.hpp"
#include "contract.hpp"

namespace {

using otq::fuzz::require;
namespace security = otq::security;

// Shopify's own test vector secret (shared/fixtures/shopify/webhook_hmac_test_vector.json).
const std::string kSecret = "omnitrackiq-test-shopify-client-secret";

// services::valid_shopify_hmac, expression for expression.
bool valid_shopify_hmac(std::string_view secret, std::string_view raw_body, std::string_view hmac_base64) {
  if (secret.empty() || hmac_base64.empty()) return false;
  return security::constant_time_equal(security::base64_encode(security::hmac_sha256(secret, raw_body)), hmac_base64);
}

bool checked(std::string_view secret, std::string_view body, std::string_view header) {
  bool ok = false;
  otq::fuzz::expect_no_throw("valid_shopify_hmac", [&] { ok = valid_shopify_hmac(secret, body, header); });
  return ok;
}

std::string reference_base64(std::string_view data) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::size_t i = 0;
  for (; i + 3 <= data.size(); i += 3) {
    const auto v = static_cast<std::uint32_t>(static_cast<unsigned char>(data[i]) << 16 |
                                              static_cast<unsigned char>(data[i + 1]) << 8 |
                                              static_cast<unsigned char>(data[i + 2]));
    out += {kAlphabet[v >> 18], kAlphabet[(v >> 12) & 63], kAlphabet[(v >> 6) & 63], kAlphabet[v & 63]};
  }
  if (data.size() - i == 1) {
    const auto v = static_cast<std::uint32_t>(static_cast<unsigned char>(data[i]) << 16);
    out += {kAlphabet[v >> 18], kAlphabet[(v >> 12) & 63], '=', '='};
  } else if (data.size() - i == 2) {
    const auto v = static_cast<std::uint32_t>(static_cast<unsigned char>(data[i]) << 16 |
                                              static_cast<unsigned char>(data[i + 1]) << 8);
    out += {kAlphabet[v >> 18], kAlphabet[(v >> 12) & 63], kAlphabet[(v >> 6) & 63], '='};
  }
  return out;
}

std::string reference_signature(const std::string& secret, std::string_view body) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()), reinterpret_cast<const unsigned char*>(body.data()),
       body.size(), mac, &len);
  return reference_base64({reinterpret_cast<const char*>(mac), len});
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return otq::fuzz::run_input([&] {
    const std::string_view input = otq::fuzz::as_text(data, size);
    const auto newline = input.find('\n');
    const std::string_view header = input.substr(0, newline);
    const std::string_view body = newline == std::string_view::npos ? std::string_view{} : input.substr(newline + 1);
    const std::string expected = reference_signature(kSecret, body);

    // The fuzzed header: only the exact signature passes.
    require(checked(kSecret, body, header) == (header == expected), "valid_shopify_hmac",
            "header '" + std::string(header) + "' judged wrongly (expected " + expected + ")");

    // The signature computed here.
    require(checked(kSecret, body, expected), "valid_shopify_hmac", "the body's own signature was refused");
    require(!checked(kSecret + "x", body, expected), "valid_shopify_hmac", "verified under another secret");
    require(!checked(kSecret, std::string(body) + "\n", expected), "valid_shopify_hmac", "verified another body");
    require(!checked(kSecret, body, expected + "\n") && !checked(kSecret, body, " " + expected) &&
                !checked(kSecret, body, expected.substr(0, expected.size() - 1)),
            "valid_shopify_hmac", "verified a changed header");
    require(!checked("", body, reference_signature("", body)), "valid_shopify_hmac", "verified with no secret");
    require(!checked(kSecret, body, ""), "valid_shopify_hmac", "verified an empty header");

    // The parts on their own.
    require(security::base64_encode(input) == reference_base64(input), "base64_encode", "differs from RFC 4648");
    const std::string_view a = header, b = body.substr(0, header.size());
    require(security::constant_time_equal(a, b) == (a == b), "constant_time_equal", "differs from ==");
  });
}
