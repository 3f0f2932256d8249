// Stripe API calls over the shared libcurl client.
#include "app/services/stripe_client.hpp"

#include <fmt/format.h>

#include "app/errors.hpp"
#include "app/json_input.hpp"
#include "app/logging.hpp"

namespace otq::services {
namespace {

// Stripe asks for retries with backoff; three attempts keep a user's click under a few seconds.
const connectors::RetryPolicy kPolicy{3, std::chrono::milliseconds(300), std::chrono::seconds(5)};

}  // namespace

StripeClient::StripeClient(const BillingSettings& settings, std::chrono::seconds timeout,
                           connectors::HttpClient::Sleep sleep)
    : settings_(settings), http_(timeout, std::move(sleep)) {}

std::string StripeClient::encode_form(const StripeForm& form) {
  std::string out;
  for (const auto& [key, value] : form) {
    if (!out.empty()) out += '&';
    out += connectors::HttpClient::encode(key) + "=" + connectors::HttpClient::encode(value);
  }
  return out;
}

nlohmann::json StripeClient::post(std::string_view path, const StripeForm& form, const std::string& idempotency_key) {
  return send({"POST",
               settings_.stripe_api_base + std::string(path),
               {{"Content-Type", "application/x-www-form-urlencoded"}, {"Idempotency-Key", idempotency_key}},
               encode_form(form)});
}

nlohmann::json StripeClient::get(std::string_view path) {
  return send({"GET", settings_.stripe_api_base + std::string(path), {}, {}});
}

nlohmann::json StripeClient::send(connectors::HttpRequest request) {
  if (!configured()) {
    throw Error(ErrorCode::unprocessable,
                "Billing is not set up on this server yet: an operator must set STRIPE_SECRET_KEY (docs/billing.md).");
  }
  request.headers.emplace_back("Authorization", "Bearer " + settings_.stripe_secret_key);
  request.headers.emplace_back("Stripe-Version", settings_.stripe_api_version);
  request.headers.emplace_back("Accept", "application/json");
  connectors::HttpResponse res;
  try {
    res = http_.send(request, kPolicy);
  } catch (const connectors::HttpFailure& f) {
    throw StripeError(f.status, "Stripe could not be reached; try again in a minute.",
                      fmt::format("{} {}: {}", request.method, connectors::HttpClient::redact(request.url), f.message));
  }
  nlohmann::json body = parse_untrusted_json(res.body);
  if (res.status >= 200 && res.status < 300 && body.is_object()) return body;
  std::string detail = fmt::format("{} {} answered HTTP {}", request.method, request.url, res.status);
  if (body.is_object() && body.contains("error") && body["error"].is_object()) {
    const auto& e = body["error"];
    detail += fmt::format(" {} {}: {}", e.value("type", ""), e.value("code", ""), e.value("message", ""));
  }
  throw StripeError(res.status, "Stripe refused the request; try again, or contact support if it keeps failing.",
                    detail);
}

}  // namespace otq::services
