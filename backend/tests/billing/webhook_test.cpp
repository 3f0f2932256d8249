// Stripe webhooks: signatures checked before anything is read, each event applied once, and the
// stored state right whatever order Stripe's deliveries arrive in.
#include "tests/billing/billing_fixture.hpp"

namespace otq::testing {
namespace {

using nlohmann::json;

struct Webhooks : BillingTest {
  std::string customer = checkout();
  const std::int64_t t0 = unix_now() - 3600;

  json sub(const std::string& status, std::int64_t period_end = 0) const {
    return FakeStripe::subscription("sub_W1", customer, FakeStripe::kGrowthMonthly, status,
                                    period_end == 0 ? unix_now() + 30 * 86400 : period_end);
  }
  json invoice(const std::string& status) const {
    return {{"id", "in_W1"},
            {"object", "invoice"},
            {"customer", customer},
            {"status", status},
            {"parent", {{"type", "subscription_details"}, {"subscription_details", {{"subscription", "sub_W1"}}}}}};
  }
  std::string state() const {
    return sql("SELECT status || ' ' || (SELECT plan FROM accounts WHERE public_id = '" + ann.account_id +
               "') FROM subscriptions WHERE stripe_subscription_id = 'sub_W1'");
  }
  std::string count(const std::string& table_where) const { return sql("SELECT count(*) FROM " + table_where); }
};

TEST_F(Webhooks, BadSignaturesAreRejectedWith400AndChangeNothing) {
  const std::string body = stripe_event("evt_Sig1", "customer.subscription.created", t0, sub("active")).dump();
  const auto now = unix_now();
  const std::vector<std::pair<std::string, std::optional<std::string>>> cases{
      {"wrong secret", security::stripe_signature_header(body, "whsec_someoneElsesSecret", now)},
      {"old timestamp", security::stripe_signature_header(body, FakeStripe::kWebhookSecret, now - 301)},
      {"missing header", std::nullopt},
      {"malformed header", "v1=deadbeef"},
  };
  for (const auto& [what, header] : cases) {
    const auto r = deliver_raw(body, header);
    EXPECT_EQ(r.status, 400) << what << ": " << r.body;
    EXPECT_EQ(r.body["error"]["code"], "invalid_argument") << what;
  }
  // Signed correctly, then altered by one byte.
  std::string tampered = body;
  tampered.replace(tampered.find("\"active\""), 8, "\"paused\"");
  EXPECT_EQ(deliver_raw(tampered, security::stripe_signature_header(body, FakeStripe::kWebhookSecret, now)).status,
            400);
  EXPECT_EQ(count("stripe_events"), "0");
  EXPECT_EQ(count("subscriptions"), "0");
  EXPECT_EQ(billing()["plan"]["id"], "free");

  // Signed right, the same body applies.
  const auto ok = deliver_raw(body, security::stripe_signature_header(body, FakeStripe::kWebhookSecret, now));
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(state(), "active growth");
}

TEST_F(Webhooks, TheSameEventDeliveredTwiceIsHandledOnce) {
  const json created = stripe_event("evt_Twice", "customer.subscription.created", t0, sub("active"));
  const auto first = deliver(created);
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_TRUE(first.body["handled"]);
  const auto second = deliver(created);
  ASSERT_EQ(second.status, 200) << second.body;
  EXPECT_TRUE(second.body["duplicate"]);
  EXPECT_EQ(count("stripe_events WHERE id = 'evt_Twice' AND processed_at IS NOT NULL"), "1");
  EXPECT_EQ(count("audit_log WHERE action = 'billing.subscription'"), "1") << "applied once";
  EXPECT_EQ(state(), "active growth");

  // A delivery that replays an old event after a newer one changes nothing either.
  ASSERT_EQ(deliver(stripe_event("evt_Later", "customer.subscription.updated", t0 + 10, sub("past_due"))).status, 200);
  ASSERT_EQ(deliver(created).status, 200);
  EXPECT_EQ(state(), "past_due growth");
}

TEST_F(Webhooks, DeletedArrivingBeforeUpdatedLeavesTheSubscriptionCanceled) {
  ASSERT_EQ(deliver(stripe_event("evt_C", "customer.subscription.created", t0, sub("active"))).status, 200);
  EXPECT_EQ(state(), "active growth");
  // Stripe sent updated (t0+5) then deleted (t0+10); they arrive the other way round.
  ASSERT_EQ(deliver(stripe_event("evt_D", "customer.subscription.deleted", t0 + 10, sub("canceled"))).status, 200);
  ASSERT_EQ(deliver(stripe_event("evt_U", "customer.subscription.updated", t0 + 5, sub("active"))).status, 200);
  EXPECT_EQ(state(), "canceled free");
  // Even an update stamped the same second cannot revive a canceled subscription.
  json same = sub("active");
  same["cancel_at_period_end"] = true;
  ASSERT_EQ(deliver(stripe_event("evt_U2", "customer.subscription.updated", t0 + 10, same)).status, 200);
  EXPECT_EQ(state(), "canceled free");
  const auto me = billing();
  EXPECT_EQ(me["status"], "canceled");
  EXPECT_EQ(me["plan"]["id"], "free");
  EXPECT_NE(me["notice"].get<std::string>().find("has ended"), std::string::npos) << me;
}

TEST_F(Webhooks, AFailedPaymentMakesItPastDueAndTheBillingPageSaysSo) {
  ASSERT_EQ(deliver(stripe_event("evt_C", "customer.subscription.created", t0, sub("active"))).status, 200);
  const auto failed = deliver(stripe_event("evt_F", "invoice.payment_failed", t0 + 20, invoice("open")));
  ASSERT_EQ(failed.status, 200) << failed.body;
  EXPECT_EQ(state(), "past_due growth") << "the plan stays while Stripe retries the card";
  const auto me = billing();
  EXPECT_EQ(me["status"], "past_due");
  EXPECT_NE(me["notice"].get<std::string>().find("payment for Growth failed"), std::string::npos) << me;
  EXPECT_TRUE(me["can_manage"]) << "the page offers the portal to fix the card";

  ASSERT_EQ(deliver(stripe_event("evt_P", "invoice.paid", t0 + 30, invoice("paid"))).status, 200);
  EXPECT_EQ(state(), "active growth");
  EXPECT_TRUE(billing()["notice"].is_null());
  // A failure older than the payment is not applied over it.
  ASSERT_EQ(deliver(stripe_event("evt_F0", "invoice.payment_failed", t0 + 25, invoice("open"))).status, 200);
  EXPECT_EQ(state(), "active growth");
}

TEST_F(Webhooks, ACompletedCheckoutReadsTheSubscriptionFromStripe) {
  const auto period_end = unix_now() + 31 * 86400;
  stripe.put_subscription(
      FakeStripe::subscription("sub_W1", customer, FakeStripe::kGrowthMonthly, "trialing", period_end, ann.account_id));
  const json session{{"id", "cs_test_1"},    {"object", "checkout.session"}, {"mode", "subscription"},
                     {"status", "complete"}, {"payment_status", "paid"},     {"client_reference_id", ann.account_id},
                     {"customer", customer}, {"subscription", "sub_W1"}};
  const auto r = deliver(stripe_event("evt_Done", "checkout.session.completed", t0, session));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(stripe.requests_to("/v1/subscriptions/sub_W1").size(), 1u);
  EXPECT_EQ(state(), "trialing growth");
  const auto me = billing();
  EXPECT_EQ(me["plan"]["id"], "growth");
  EXPECT_EQ(me["interval"], "month");
  EXPECT_FALSE(me["current_period_end"].is_null());
  EXPECT_EQ(me["limits"]["integrations"]["store"], 2);
  // The created event Stripe sent before the fetch is older than what was read: ignored.
  ASSERT_EQ(deliver(stripe_event("evt_Old", "customer.subscription.created", t0 - 5, sub("incomplete"))).status, 200);
  EXPECT_EQ(state(), "trialing growth");
}

TEST_F(Webhooks, WithinOneSecondASubscriptionOnlyLeavesIncomplete) {
  // Stripe's `created` has whole seconds: created (incomplete) and updated (active) share one and
  // arrive the wrong way round.
  ASSERT_EQ(deliver(stripe_event("evt_Up", "customer.subscription.updated", t0, sub("active"))).status, 200);
  ASSERT_EQ(deliver(stripe_event("evt_Cr", "customer.subscription.created", t0, sub("incomplete"))).status, 200);
  EXPECT_EQ(state(), "active growth");
}

TEST_F(Webhooks, ASubscriptionStripeWillNotShowIsKeptAsAnErrorAndAppliesWhenResent) {
  const json session{{"id", "cs_test_2"},      {"object", "checkout.session"},
                     {"mode", "subscription"}, {"client_reference_id", ann.account_id},
                     {"customer", customer},   {"subscription", "sub_W1"}};
  const json completed = stripe_event("evt_Resend", "checkout.session.completed", t0, session);

  stripe.fail_next(3, 503);  // Stripe down (every retry): 503, Stripe delivers again, nothing recorded
  const auto down = deliver(completed);
  EXPECT_EQ(down.status, 503) << down.body;
  EXPECT_EQ(count("stripe_events"), "0");

  const auto missing = deliver(completed);  // the fake has no sub_W1: Stripe answers 404
  ASSERT_EQ(missing.status, 200) << missing.body;
  EXPECT_FALSE(missing.body["handled"]);
  EXPECT_NE(sql("SELECT error FROM stripe_events WHERE id = 'evt_Resend' AND processed_at IS NULL"), "");

  json unknown_price =
      FakeStripe::subscription("sub_W1", customer, "price_MadeInTheDashboard", "active", unix_now() + 86400);
  stripe.put_subscription(unknown_price);
  EXPECT_FALSE(deliver(completed).body["handled"]) << "a price STRIPE_PRICES lacks, and no plan in the metadata";
  EXPECT_EQ(count("subscriptions"), "0");

  unknown_price["metadata"]["plan"] = "growth";  // what our checkout puts there
  stripe.put_subscription(unknown_price);
  const auto resent = deliver(completed);
  ASSERT_EQ(resent.status, 200) << resent.body;
  EXPECT_TRUE(resent.body["handled"]) << "a resend after the fix applies it: it was never marked processed";
  EXPECT_EQ(state(), "active growth");
}

TEST_F(Webhooks, EventsItDoesNotHandleOrCannotPlaceAreAcknowledged) {
  const auto other = deliver(stripe_event("evt_Other", "charge.refunded", t0, {{"id", "ch_1"}, {"object", "charge"}}));
  EXPECT_EQ(other.status, 200) << other.body;
  EXPECT_FALSE(other.body["handled"]);
  json stranger = sub("active");
  stranger["customer"] = "cus_Unknown";
  const auto unknown = deliver(stripe_event("evt_Stranger", "customer.subscription.created", t0, stranger));
  EXPECT_EQ(unknown.status, 200) << unknown.body;
  EXPECT_FALSE(unknown.body["handled"]);
  EXPECT_EQ(sql("SELECT error FROM stripe_events WHERE id = 'evt_Stranger'"),
            "no account has this Stripe customer or reference");
  EXPECT_EQ(count("subscriptions"), "0");
  const auto junk =
      deliver_raw("{not json", security::stripe_signature_header("{not json", FakeStripe::kWebhookSecret, unix_now()));
  EXPECT_EQ(junk.status, 400);
}

}  // namespace
}  // namespace otq::testing
