// Stripe-Signature: "t=1795000000,v1=<hex>,v1=<hex>,v0=<hex>".
#include "app/security/stripe_signature.hpp"

#include <charconv>
#include <cstdlib>
#include <vector>

#include <fmt/format.h>

#include "app/security/digest.hpp"

namespace otq::security {

StripeSignature verify_stripe_signature(std::string_view header, std::string_view raw_body,
                                        std::span<const std::string> secrets, std::int64_t now,
                                        std::chrono::seconds tolerance) {
  if (header.empty()) return StripeSignature::missing;
  std::string_view timestamp;
  std::vector<std::string_view> candidates;
  while (!header.empty()) {
    const auto comma = header.find(',');
    std::string_view item = header.substr(0, comma);
    header = comma == std::string_view::npos ? std::string_view{} : header.substr(comma + 1);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    const auto eq = item.find('=');
    if (eq == std::string_view::npos) continue;
    const std::string_view key = item.substr(0, eq);
    const std::string_view value = item.substr(eq + 1);
    if (key == "t") {
      timestamp = value;
    } else if (key == "v1") {
      candidates.push_back(value);
    }
  }
  std::int64_t t = 0;
  const auto [end, ec] = std::from_chars(timestamp.data(), timestamp.data() + timestamp.size(), t);
  if (timestamp.empty() || ec != std::errc{} || end != timestamp.data() + timestamp.size() || candidates.empty()) {
    return StripeSignature::malformed;
  }
  bool matched = false;
  for (const auto& secret : secrets) {
    const std::string signed_payload = fmt::format("{}.{}", timestamp, raw_body);
    const std::string expected = to_hex(hmac_sha256(secret, signed_payload));
    for (const auto candidate : candidates) {
      // Every comparison runs to the end: no early exit reveals which candidate came close.
      matched = constant_time_equal(candidate, expected) || matched;
    }
  }
  if (!matched) return StripeSignature::mismatch;
  // Compared without subtracting: t comes from the header and may be anywhere in int64 (t - now
  // would overflow).
  if (t < now - tolerance.count() || t > now + tolerance.count()) return StripeSignature::outside_window;
  return StripeSignature::valid;
}

std::string stripe_signature_header(std::string_view raw_body, const std::string& secret, std::int64_t timestamp) {
  return fmt::format("t={},v1={}", timestamp, to_hex(hmac_sha256(secret, fmt::format("{}.{}", timestamp, raw_body))));
}

std::string_view describe(StripeSignature result) {
  switch (result) {
    case StripeSignature::valid: return "valid";
    case StripeSignature::missing: return "The Stripe-Signature header is missing.";
    case StripeSignature::malformed: return "The Stripe-Signature header has no timestamp (t=) or no v1 signature.";
    case StripeSignature::mismatch:
      return "No signature matches: wrong signing secret, or the body or timestamp was altered.";
    case StripeSignature::outside_window:
      return "The signature's timestamp is more than 300 seconds from now (a replay, or a wrong clock).";
  }
  return "invalid signature";
}

}  // namespace otq::security
