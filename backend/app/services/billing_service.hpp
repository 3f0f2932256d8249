// Billing: the plan catalogue, Stripe Checkout and the customer portal, the account's billing
// state, and Stripe's webhooks, which are the only way a plan changes (docs/billing.md).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "app/config.hpp"
#include "app/db.hpp"
#include "app/models/subscription.hpp"
#include "app/schemas/billing.hpp"
#include "app/services/auth_service.hpp"
#include "app/services/stripe_client.hpp"

namespace otq::services {

struct WebhookResult {
  int status = 200;
  nlohmann::json body;
};

class BillingService {
 public:
  BillingService(db::Pool& pool, const Config& config, connectors::HttpClient::Sleep sleep = {});

  /// Every plan with its prices and limits (public: the marketing page shows it).
  nlohmann::json plans() const;

  /// The account's plan, subscription status, period end, limits, usage and a notice to show.
  nlohmann::json me(const AuthContext& ctx);

  /// A Stripe Checkout Session (subscription mode) for the plan; creates the account's Stripe
  /// customer once. Conflict when the account already pays for a plan (the portal changes it).
  nlohmann::json checkout(const AuthContext& ctx, const schemas::billing::CheckoutRequest& req,
                          const RequestMeta& meta);

  /// A customer portal session: change plan, update the card, cancel, download invoices.
  nlohmann::json portal(const AuthContext& ctx, const RequestMeta& meta);

  /// A Stripe webhook delivery: signature checked before the body is parsed, each event applied
  /// once, in Stripe's order whatever the delivery order. Never 5xx for an event it ignores.
  WebhookResult webhook(std::string_view signature_header, std::string_view raw_body);

 private:
  struct Applied {
    std::optional<std::int64_t> account_id;
    std::optional<std::string> error;  ///< set: the event could not be applied (kept for a resend)
    bool handled = false;
  };
  Applied apply_event(pqxx::transaction_base& tx, const nlohmann::json& event,
                      const std::optional<models::subscription::State>& fetched);
  std::optional<models::subscription::State> fetch_subscription(const std::string& subscription_id,
                                                                std::int64_t event_created);
  models::subscription::State state_of(const nlohmann::json& subscription, std::int64_t state_at) const;

  db::Pool& pool_;
  const Config& config_;
  StripeClient stripe_;
};

}  // namespace otq::services
