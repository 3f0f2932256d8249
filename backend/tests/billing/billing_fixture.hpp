// A server wired to the fake Stripe, a signed-up owner, and helpers to deliver signed webhooks.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include <gtest/gtest.h>
#include <pqxx/pqxx>

#include "app/security/stripe_signature.hpp"
#include "tests/support/api_client.hpp"
#include "tests/support/fake_stripe.hpp"
#include "tests/support/pg.hpp"
#include "tests/support/process.hpp"

namespace otq::testing {

inline std::int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

/// A Stripe event envelope around `object`.
inline nlohmann::json stripe_event(const std::string& id, const std::string& type, std::int64_t created,
                                   const nlohmann::json& object) {
  return {{"id", id},
          {"object", "event"},
          {"api_version", "2026-08-26.dahlia"},
          {"created", created},
          {"livemode", false},
          {"pending_webhooks", 1},
          {"request", {{"id", nullptr}, {"idempotency_key", nullptr}}},
          {"type", type},
          {"data", {{"object", object}}}};
}

struct BillingTest : ::testing::Test {
  FakeStripe stripe;
  TestDatabase db;
  ServerProcess server = start_server(db.url(), server_env());
  ApiClient api{server.port};
  Person ann = signup(api, "ann@example.com", "Ann's store");

  /// Stripe's settings, and a Shopify app (never called: the tests stop before Shopify would be).
  std::map<std::string, std::string> server_env() const {
    auto env = stripe.server_env();
    env["SHOPIFY_API_KEY"] = "shopify-client-id";
    env["SHOPIFY_API_SECRET"] = "shopify-client-secret";
    return env;
  }

  /// POSTs `body` to the webhook with `signature` (by default: signed now with the endpoint secret).
  ApiResponse deliver_raw(const std::string& body, const std::optional<std::string>& signature) {
    httplib::Headers h;
    if (signature) h.emplace("Stripe-Signature", *signature);
    const auto r = api.raw().Post("/api/v1/billing/webhook", h, body, "application/json; charset=utf-8");
    ApiResponse out;
    if (!r) return out;
    out.status = r->status;
    out.body = nlohmann::json::parse(r->body, nullptr, false);
    return out;
  }
  ApiResponse deliver(const nlohmann::json& event) {
    const std::string body = event.dump();
    return deliver_raw(body, security::stripe_signature_header(body, FakeStripe::kWebhookSecret, unix_now()));
  }

  /// Runs a checkout so the account has a Stripe customer; returns the customer id.
  std::string checkout(const std::string& plan = "growth") {
    const auto r = api.post("/api/v1/billing/checkout", {{"plan", plan}, {"interval", "month"}}, ann.token);
    EXPECT_EQ(r.status, 200) << r.body;
    const auto customers = stripe.requests_to("/v1/customers");
    return customers.empty()
               ? ""
               : sql("SELECT stripe_customer_id FROM accounts WHERE public_id = '" + ann.account_id + "'");
  }

  /// The account becomes a paying `price` subscriber through a customer.subscription.created event.
  void subscribe(const std::string& customer, const std::string& price = FakeStripe::kGrowthMonthly,
                 const std::string& sub = "sub_Growth1") {
    const auto r =
        deliver(stripe_event("evt_sub_created_" + sub, "customer.subscription.created", unix_now() - 60,
                             FakeStripe::subscription(sub, customer, price, "active", unix_now() + 30 * 86400)));
    ASSERT_EQ(r.status, 200) << r.body;
  }

  nlohmann::json billing() {
    const auto r = api.get("/api/v1/billing/me", ann.token);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.body["data"];
  }

  /// One value from the database (empty for NULL).
  std::string sql(const std::string& query) const {
    pqxx::connection c(db.url());
    pqxx::nontransaction tx(c);
    const auto r = tx.exec1(query);
    return r[0].is_null() ? "" : r[0].as<std::string>();
  }
};

}  // namespace otq::testing
