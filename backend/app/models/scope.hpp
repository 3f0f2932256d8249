// The tenant scope: proof that the caller was authenticated for one account.
#pragma once

#include <cstdint>

namespace otq::services {
class AuthGate;
class BillingService;
class ShopifyWebhooks;
class SystemTasks;
class Worker;
}  // namespace otq::services

namespace otq::models {

/// Every repository function on tenant data takes an AccountScope and filters by its
/// account_id. Only services::AuthGate can create one, and it does so only from a verified token
/// or API key whose membership it has just checked (docs/adr/0004-tenancy-by-construction.md), so
/// code that reads tenant rows without an authenticated account does not compile.
class AccountScope {
 public:
  std::int64_t account_id() const { return account_id_; }

 private:
  explicit AccountScope(std::int64_t account_id) : account_id_(account_id) {}
  friend class otq::services::AuthGate;
  // Operator commands run from a shell (seed-demo, rollups rebuild); never reachable over HTTP.
  friend class otq::services::SystemTasks;
  // The job worker: a job's account_id was written by a scoped enqueue (an authenticated request
  // or the scheduler acting for a connected integration), so the job carries its scope.
  friend class otq::services::Worker;
  // Stripe webhooks: a signed event names the account through the customer or the reference we
  // gave Stripe for it at checkout.
  friend class otq::services::BillingService;
  // Shopify webhooks: a delivery signed with our app secret names a shop; each connection of that
  // shop names an account, and the delivery is applied there.
  friend class otq::services::ShopifyWebhooks;
  std::int64_t account_id_;
};

}  // namespace otq::models
