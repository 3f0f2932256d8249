// Stripe webhook signatures (the `Stripe-Signature` header), verified exactly as Stripe specifies:
// HMAC-SHA256 of "<t>.<raw body>" with the endpoint's signing secret, any matching `v1`, a
// tolerance on `t`, constant-time comparison, and several secrets accepted during a rotation.
#pragma once

#include <chrono>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace otq::security {

enum class StripeSignature {
  valid,
  missing,         ///< no header
  malformed,       ///< no `t=` timestamp, or no `v1=` signature
  mismatch,        ///< no `v1` matches any secret (wrong secret, altered body or timestamp)
  outside_window,  ///< signed correctly, but `t` is more than the tolerance away from now
};

/// Checks `header` against the raw request body, before anything parses the body. `now` is Unix
/// seconds. Signatures of other schemes (`v0`) are ignored.
StripeSignature verify_stripe_signature(std::string_view header, std::string_view raw_body,
                                        std::span<const std::string> secrets, std::int64_t now,
                                        std::chrono::seconds tolerance = std::chrono::seconds(300));

/// The header Stripe would send for `raw_body` at `timestamp` (tests and the local fake Stripe).
std::string stripe_signature_header(std::string_view raw_body, const std::string& secret, std::int64_t timestamp);

/// A person-readable reason for a rejection, safe to return to the caller.
std::string_view describe(StripeSignature result);

}  // namespace otq::security
