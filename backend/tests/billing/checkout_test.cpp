// Plans, Checkout and the customer portal against the fake Stripe API: one customer per account,
// form-encoded requests with the pinned version and an idempotency key kept across retries.
#include "tests/billing/billing_fixture.hpp"

namespace otq::testing {
namespace {

using nlohmann::json;

TEST(BillingPlans, ThePricingPageAndTheBillingPageReadTheSamePublicPlanList) {
  TestDatabase db;
  auto server = start_server(db.url());
  ApiClient api(server.port);
  const auto r = api.get("/api/v1/billing/plans");  // no token: the marketing page reads it
  ASSERT_EQ(r.status, 200) << r.body;
  std::vector<std::string> ids;
  for (const auto& p : r.body["data"]) ids.push_back(p["id"]);
  EXPECT_EQ(ids, (std::vector<std::string>{"free", "growth", "agency"}));
  const auto& free = r.body["data"][0];
  EXPECT_EQ(free["limits"]["integrations"]["store"], 1);
  EXPECT_EQ(free["limits"]["history_days"], 90);
  EXPECT_EQ(r.body["data"][1]["prices"]["month"]["amount"], 14900);
  EXPECT_FALSE(r.body["data"][1]["prices"]["month"]["purchasable"]) << "no STRIPE_PRICES on this server";
  EXPECT_FALSE(r.body["checkout_available"]);
  EXPECT_EQ(r.body.dump().find("price_"), std::string::npos) << "Stripe Price ids stay on the server";

  const Person ann = signup(api, "ann@example.com");
  const auto checkout = api.post("/api/v1/billing/checkout", {{"plan", "growth"}}, ann.token);
  EXPECT_EQ(checkout.status, 422) << checkout.body;
  EXPECT_NE(checkout.body["error"]["message"].get<std::string>().find("not sold"), std::string::npos) << checkout.body;
}

TEST(BillingPlans, AServerWithoutStripeKeysSaysSoInsteadOfFailing) {
  TestDatabase db;
  auto server = start_server(db.url(), {{"STRIPE_PRICES", "growth:month=price_1X"}});
  ApiClient api(server.port);
  const Person ann = signup(api, "ann@example.com");
  const auto checkout = api.post("/api/v1/billing/checkout", {{"plan", "growth"}}, ann.token);
  EXPECT_EQ(checkout.status, 422);
  EXPECT_NE(checkout.body["error"]["message"].get<std::string>().find("STRIPE_SECRET_KEY"), std::string::npos);
  const auto hook = api.post("/api/v1/billing/webhook", json::object());
  EXPECT_EQ(hook.status, 503) << "webhooks without a signing secret are refused, not accepted unverified";
  const auto me = api.get("/api/v1/billing/me", ann.token);
  ASSERT_EQ(me.status, 200);
  EXPECT_EQ(me.body["data"]["plan"]["id"], "free");
  EXPECT_FALSE(me.body["data"]["checkout_available"]);
}

TEST_F(BillingTest, CheckoutCreatesTheCustomerOnceAndSendsAnIdempotencyKey) {
  const auto first = api.post("/api/v1/billing/checkout", {{"plan", "growth"}, {"interval", "month"}}, ann.token);
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_TRUE(first.body["url"].get<std::string>().starts_with("https://checkout.stripe.com/")) << first.body;
  const auto second = api.post("/api/v1/billing/checkout", {{"plan", "growth"}, {"interval", "year"}}, ann.token);
  ASSERT_EQ(second.status, 200) << second.body;

  const auto customers = stripe.requests_to("/v1/customers");
  ASSERT_EQ(customers.size(), 1u) << "the second checkout reuses the account's customer";
  EXPECT_EQ(customers[0].query.at("metadata[account_id]"), ann.account_id);
  EXPECT_EQ(customers[0].query.at("email"), "ann@example.com");
  const std::string customer =
      sql("SELECT stripe_customer_id FROM accounts WHERE public_id = '" + ann.account_id + "'");
  EXPECT_TRUE(customer.starts_with("cus_")) << customer;

  const auto sessions = stripe.requests_to("/v1/checkout/sessions");
  ASSERT_EQ(sessions.size(), 2u);
  for (const auto& s : sessions) {
    EXPECT_EQ(s.headers.count("Idempotency-Key"), 1u);
    EXPECT_FALSE(s.headers.find("Idempotency-Key")->second.empty());
    EXPECT_EQ(s.headers.find("Stripe-Version")->second, "2026-08-26.dahlia");
    EXPECT_EQ(s.headers.find("Authorization")->second, std::string("Bearer ") + FakeStripe::kSecretKey);
    EXPECT_NE(s.headers.find("Content-Type")->second.find("application/x-www-form-urlencoded"), std::string::npos);
    EXPECT_EQ(s.query.at("mode"), "subscription");
    EXPECT_EQ(s.query.at("customer"), customer);
    EXPECT_EQ(s.query.at("client_reference_id"), ann.account_id);
    EXPECT_EQ(s.query.at("line_items[0][quantity]"), "1");
    EXPECT_EQ(s.query.at("subscription_data[metadata][account_id]"), ann.account_id);
    EXPECT_TRUE(s.query.at("success_url").starts_with("https://app.example.com/billing?checkout=success"));
    EXPECT_EQ(s.query.at("cancel_url"), "https://app.example.com/billing?checkout=cancelled");
  }
  EXPECT_EQ(sessions[0].query.at("line_items[0][price]"), FakeStripe::kGrowthMonthly);
  EXPECT_EQ(sessions[1].query.at("line_items[0][price]"), FakeStripe::kGrowthYearly);
  EXPECT_NE(sessions[0].headers.find("Idempotency-Key")->second, sessions[1].headers.find("Idempotency-Key")->second)
      << "two clicks are two sessions";
  EXPECT_EQ(first.body.dump().find(FakeStripe::kSecretKey), std::string::npos);
}

TEST_F(BillingTest, AStripeFailureIsRetriedWithTheSameIdempotencyKey) {
  stripe.fail_next(1, 500);  // the customer call fails once
  const auto r = api.post("/api/v1/billing/checkout", {{"plan", "growth"}}, ann.token);
  ASSERT_EQ(r.status, 200) << r.body;
  const auto customers = stripe.requests_to("/v1/customers");
  ASSERT_EQ(customers.size(), 2u) << "500, then the retry";
  EXPECT_EQ(customers[0].headers.find("Idempotency-Key")->second, customers[1].headers.find("Idempotency-Key")->second);

  stripe.fail_next(2, 503);
  ASSERT_EQ(api.post("/api/v1/billing/checkout", {{"plan", "growth"}}, ann.token).status, 200);
  auto sessions = stripe.requests_to("/v1/checkout/sessions");
  ASSERT_EQ(sessions.size(), 4u) << "one session, then 503, 503 and success";
  for (std::size_t i = 2; i < 4; ++i) {
    EXPECT_EQ(sessions[i].headers.find("Idempotency-Key")->second, sessions[1].headers.find("Idempotency-Key")->second);
  }

  stripe.fail_next(10, 500);  // Stripe down: a clear 502, no half-made state
  const auto down = api.post("/api/v1/billing/checkout", {{"plan", "growth"}}, ann.token);
  EXPECT_EQ(down.status, 502) << down.body;
  EXPECT_EQ(down.error_code(), "upstream_error");
  EXPECT_EQ(stripe.requests_to("/v1/checkout/sessions").size(), 7u) << "three attempts, then give up";
  EXPECT_EQ(sql("SELECT count(*) FROM subscriptions"), "0");
}

TEST_F(BillingTest, CheckoutRefusesWhatCannotBeBought) {
  auto status = [&](const json& body) { return api.post("/api/v1/billing/checkout", body, ann.token).status; };
  EXPECT_EQ(status({{"plan", "platinum"}}), 422);
  EXPECT_EQ(status({{"plan", "free"}}), 422);
  EXPECT_EQ(status({{"plan", "agency"}, {"interval", "year"}}), 422) << "no Stripe price for it here";
  EXPECT_EQ(status({{"plan", "growth"}, {"interval", "week"}}), 400);
  EXPECT_EQ(status({{"plan", "growth"}, {"price", "price_cheap"}}), 400) << "no mass assignment";
  EXPECT_EQ(status(json::object()), 400);
  EXPECT_TRUE(stripe.requests_to("/v1/").empty()) << "nothing reached Stripe";

  // An active subscriber changes plans in the portal, not through a second subscription.
  subscribe(checkout());
  const auto again = api.post("/api/v1/billing/checkout", {{"plan", "agency"}}, ann.token);
  EXPECT_EQ(again.status, 409) << again.body;
}

TEST_F(BillingTest, OnlyOwnersAndAdminsStartCheckoutOrOpenThePortal) {
  const Person bob = signup(api, "bob@example.com");
  db.add_member(ann.account_id, bob.user_id, "analyst");
  const auto switched = api.post("/api/v1/auth/switch-account", {{"account_id", ann.account_id}}, bob.token);
  ASSERT_EQ(switched.status, 200) << switched.body;
  const std::string analyst = switched.body["access_token"];
  EXPECT_EQ(api.post("/api/v1/billing/checkout", {{"plan", "growth"}}, analyst).status, 403);
  EXPECT_EQ(api.post("/api/v1/billing/portal", json::object(), analyst).status, 403);
  EXPECT_EQ(api.get("/api/v1/billing/me", analyst).status, 200) << "everyone may see the plan";
  EXPECT_TRUE(stripe.requests_to("/v1/").empty());
}

TEST_F(BillingTest, ThePortalOpensForTheAccountsCustomer) {
  const auto none = api.post("/api/v1/billing/portal", json::object(), ann.token);
  EXPECT_EQ(none.status, 409) << "no customer yet: choose a plan first";
  const std::string customer = checkout();
  const auto r = api.post("/api/v1/billing/portal", json::object(), ann.token);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(r.body["url"].get<std::string>().starts_with("https://billing.stripe.com/")) << r.body;
  const auto portal = stripe.requests_to("/v1/billing_portal/sessions");
  ASSERT_EQ(portal.size(), 1u);
  EXPECT_EQ(portal[0].query.at("customer"), customer);
  EXPECT_EQ(portal[0].query.at("return_url"), "https://app.example.com/billing");
  EXPECT_FALSE(portal[0].headers.find("Idempotency-Key")->second.empty());
  EXPECT_TRUE(billing()["can_manage"]);
}

}  // namespace
}  // namespace otq::testing
