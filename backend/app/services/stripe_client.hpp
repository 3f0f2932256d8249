// The Stripe API client: form-encoded requests (bracket notation), the secret key as a bearer
// token, a pinned Stripe-Version, and an Idempotency-Key on every POST that stays the same across
// the retries of network errors, 429 and 5xx. The key never reaches a log or a response.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/config.hpp"
#include "app/connectors/http_client.hpp"
#include "app/errors.hpp"

namespace otq::services {

/// Stripe refused (4xx: `status`) or could not be reached or failed (status 0 or 5xx after the
/// retries). The public message is a sentence for the user; the detail, Stripe's own words, is
/// for the log.
class StripeError : public Error {
 public:
  StripeError(long http_status, std::string public_message, std::string detail)
      : Error(ErrorCode::upstream, std::move(public_message), std::move(detail)), status(http_status) {}
  /// Asking again will not help: Stripe refused the request itself (any 4xx but 429).
  bool refused() const { return status >= 400 && status < 500 && status != 429; }
  long status = 0;
};

/// Form fields in order, e.g. {"line_items[0][price]", "price_..."}.
using StripeForm = std::vector<std::pair<std::string, std::string>>;

class StripeClient {
 public:
  StripeClient(const BillingSettings& settings, std::chrono::seconds timeout, connectors::HttpClient::Sleep sleep = {});

  /// False without STRIPE_SECRET_KEY: checkout and the portal are off.
  bool configured() const { return !settings_.stripe_secret_key.empty(); }

  /// POST /v1/...; throws Error{upstream} when Stripe refuses or cannot be reached (the log gets
  /// Stripe's error type and message, the caller a sentence a person can act on).
  nlohmann::json post(std::string_view path, const StripeForm& form, const std::string& idempotency_key);
  /// GET /v1/..., same errors.
  nlohmann::json get(std::string_view path);

  /// "a=1&b%5Bc%5D=2": application/x-www-form-urlencoded.
  static std::string encode_form(const StripeForm& form);

 private:
  nlohmann::json send(connectors::HttpRequest request);

  const BillingSettings& settings_;
  connectors::HttpClient http_;
};

}  // namespace otq::services
