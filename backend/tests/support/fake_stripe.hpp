// A local stand-in for the Stripe API (customers, Checkout Sessions, customer portal sessions,
// subscriptions) in the shapes of shared/fixtures/stripe, recording every request. It honours
// Idempotency-Key as Stripe does (a repeated key gets the first answer back, nothing created
// twice) and can fail the next requests with a 5xx. Tests point STRIPE_API_BASE at it.
#pragma once

#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "tests/support/fake_providers.hpp"

namespace otq::testing {

class FakeStripe {
 public:
  static constexpr const char* kSecretKey = "sk_test_51FakeKeyForOmniTrackIQTests";
  static constexpr const char* kWebhookSecret = "whsec_fakeWebhookSecretForOmniTrackIQTests";
  static constexpr const char* kGrowthMonthly = "price_1GrowthMonthlyTest";
  static constexpr const char* kGrowthYearly = "price_1GrowthYearlyTest";
  static constexpr const char* kAgencyMonthly = "price_1AgencyMonthlyTest";

  FakeStripe();
  ~FakeStripe();
  FakeStripe(const FakeStripe&) = delete;
  FakeStripe& operator=(const FakeStripe&) = delete;

  std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  /// The server settings that use this fake (STRIPE_* and PUBLIC_URL).
  std::map<std::string, std::string> server_env() const;

  /// The next `n` requests answer `status` with a Stripe api_error body, before doing anything.
  void fail_next(int n, int status = 500);

  /// Served by GET /v1/subscriptions/{id}.
  void put_subscription(const nlohmann::json& subscription);

  /// A subscription object as Stripe sends it (current API: the period on the item).
  static nlohmann::json subscription(const std::string& id, const std::string& customer, const std::string& price,
                                     const std::string& status, std::int64_t period_end,
                                     const std::string& account_public_id = "");

  std::vector<RecordedRequest> requests_to(const std::string& path_prefix) const;

 private:
  void record(const httplib::Request& req);
  // Runs `create` once per idempotency key; later requests with the key get the same answer.
  void idempotent(const httplib::Request& req, httplib::Response& res, const std::function<nlohmann::json()>& create);
  bool fail(httplib::Response& res);

  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
  mutable std::mutex mutex_;
  std::vector<RecordedRequest> requests_;
  std::map<std::string, std::string> replies_;  ///< idempotency key -> first answer
  std::map<std::string, nlohmann::json> subscriptions_;
  int failures_left_ = 0;
  int failure_status_ = 500;
  int next_id_ = 1;
};

}  // namespace otq::testing
