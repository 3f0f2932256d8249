// Plan limits on the server: connections per category, team members, client accounts, the
// history window; 402 with details; paying lifts them; a downgrade pauses, never deletes.
#include "tests/billing/billing_fixture.hpp"

namespace otq::testing {
namespace {

using nlohmann::json;

json woo(const std::string& host) {
  return {{"store_url", "https://" + host},
          {"consumer_key", "ck_" + std::string(40, 'a')},
          {"consumer_secret", "cs_" + std::string(40, 'b')}};
}

TEST_F(BillingTest, AFreeAccountConnectingASecondStoreGets402UntilItPays) {
  ASSERT_EQ(api.post("/api/v1/integrations/woocommerce/connect", woo("first.example.com"), ann.token).status, 201);
  const auto second = api.post("/api/v1/integrations/woocommerce/connect", woo("second.example.com"), ann.token);
  ASSERT_EQ(second.status, 402) << second.body;
  EXPECT_EQ(second.error_code(), "payment_required");
  const auto& details = second.body["error"]["details"];
  EXPECT_EQ(details["limit"], "integrations.store");
  EXPECT_EQ(details["plan"], "free");
  EXPECT_EQ(details["allowed"], 1);
  EXPECT_EQ(details["upgrade_to"], "growth");
  EXPECT_NE(second.body["error"]["message"].get<std::string>().find("Upgrade to Growth"), std::string::npos);
  // A Shopify store is a store too: refused before anyone sees Shopify's consent screen.
  const auto shopify = api.post("/api/v1/integrations/shopify/connect", {{"shop", "ann.myshopify.com"}}, ann.token);
  EXPECT_EQ(shopify.status, 402) << shopify.body;
  // Reconnecting the store it has is not a new one.
  EXPECT_EQ(api.post("/api/v1/integrations/woocommerce/connect", woo("first.example.com"), ann.token).status, 201);
  EXPECT_EQ(sql("SELECT count(*) FROM integrations"), "1");
  const auto usage = billing()["usage"];
  EXPECT_EQ(usage["integrations"]["store"], 1);
  // Nor may a backfill reach past the plan's 90 days of history.
  const std::string store = sql("SELECT public_id FROM integrations");
  const auto long_backfill =
      api.send("PATCH", "/api/v1/integrations/" + store, ann.token, {{"settings", {{"backfill_days", 365}}}});
  EXPECT_EQ(long_backfill.status, 402) << long_backfill.body;
  EXPECT_EQ(long_backfill.body["error"]["details"]["limit"], "history_days");
  EXPECT_EQ(
      api.send("PATCH", "/api/v1/integrations/" + store, ann.token, {{"settings", {{"backfill_days", 90}}}}).status,
      200);

  subscribe(checkout());
  EXPECT_EQ(billing()["plan"]["id"], "growth");
  EXPECT_EQ(api.post("/api/v1/integrations/woocommerce/connect", woo("second.example.com"), ann.token).status, 201);
  EXPECT_EQ(api.post("/api/v1/integrations/woocommerce/connect", woo("third.example.com"), ann.token).status, 402)
      << "Growth allows two stores";
}

TEST_F(BillingTest, ADowngradePausesConnectionsBeyondThePlanAndKeepsThem) {
  const std::string customer = checkout();
  subscribe(customer);
  ASSERT_EQ(api.post("/api/v1/integrations/woocommerce/connect", woo("first.example.com"), ann.token).status, 201);
  const auto later = api.post("/api/v1/integrations/woocommerce/connect", woo("second.example.com"), ann.token);
  ASSERT_EQ(later.status, 201) << later.body;
  const std::string second_id = later.body["data"]["id"];

  const auto canceled = deliver(stripe_event(
      "evt_End", "customer.subscription.deleted", unix_now(),
      FakeStripe::subscription("sub_Growth1", customer, FakeStripe::kGrowthMonthly, "canceled", unix_now())));
  ASSERT_EQ(canceled.status, 200) << canceled.body;
  EXPECT_EQ(billing()["plan"]["id"], "free");
  const auto paused = api.get("/api/v1/integrations/" + second_id, ann.token);
  ASSERT_EQ(paused.status, 200);
  EXPECT_EQ(paused.body["data"]["status"], "paused") << "the later store is beyond Free's one";
  EXPECT_FALSE(paused.body["data"]["paused_reason"].is_null());
  EXPECT_EQ(sql("SELECT count(*) FROM integrations WHERE status <> 'disconnected'"), "2") << "nothing deleted";
  EXPECT_EQ(sql("SELECT count(*) FROM integrations WHERE paused_by_plan"), "1");
  const auto sync = api.post("/api/v1/integrations/" + second_id + "/sync", json::object(), ann.token);
  EXPECT_EQ(sync.status, 402) << sync.body;

  // Disconnecting the first frees the slot: the paused one resumes.
  const std::string first_id = sql("SELECT public_id FROM integrations WHERE external_account_id LIKE '%first%'");
  ASSERT_EQ(api.send("DELETE", "/api/v1/integrations/" + first_id, ann.token).status, 200);
  auto status_of = [&](const std::string& id) {
    return api.get("/api/v1/integrations/" + id, ann.token).body["data"]["status"].get<std::string>();
  };
  EXPECT_EQ(status_of(second_id), "connected");
  // The first, disconnected, is a new connection again: the second now holds Free's one slot.
  const auto back = api.post("/api/v1/integrations/woocommerce/connect", woo("first.example.com"), ann.token);
  EXPECT_EQ(back.status, 402) << back.body;
  EXPECT_EQ(status_of(first_id), "disconnected");
}

TEST_F(BillingTest, TeamMembersAndClientAccountsFollowThePlan) {
  // Free: three people (members plus pending invitations), one client account.
  for (const std::string who : {"b@example.com", "c@example.com"}) {
    EXPECT_EQ(api.post("/api/v1/accounts/current/members", {{"email", who}, {"role", "viewer"}}, ann.token).status,
              201);
  }
  const auto fourth =
      api.post("/api/v1/accounts/current/members", {{"email", "d@example.com"}, {"role", "viewer"}}, ann.token);
  ASSERT_EQ(fourth.status, 402) << fourth.body;
  EXPECT_EQ(fourth.body["error"]["details"]["limit"], "team_members");
  EXPECT_EQ(fourth.body["error"]["message"],
            "Your Free plan includes 3 team members, and members plus pending invitations already make 3; remove "
            "someone or upgrade. Upgrade to Growth under Billing.");
  // Inviting someone already invited is a conflict, whatever the plan says.
  const auto again =
      api.post("/api/v1/accounts/current/members", {{"email", "C@example.com"}, {"role", "viewer"}}, ann.token);
  EXPECT_EQ(again.status, 409) << again.body;
  // An invitation that expired (shown nowhere) neither blocks a new one nor takes a seat.
  EXPECT_EQ(sql("WITH u AS (UPDATE invitations SET expires_at = now() - interval '1 day' "
                "WHERE lower(email) = 'c@example.com' RETURNING 1) SELECT count(*) FROM u"),
            "1");
  EXPECT_EQ(
      api.post("/api/v1/accounts/current/members", {{"email", "c@example.com"}, {"role", "analyst"}}, ann.token).status,
      201);
  EXPECT_EQ(sql("SELECT count(*) FROM invitations WHERE lower(email) = 'c@example.com' AND revoked_at IS NOT NULL"),
            "1");

  const auto client_a = api.post("/api/v1/accounts", {{"name", "Client A"}}, ann.token);
  ASSERT_EQ(client_a.status, 201) << client_a.body;
  const auto client = api.post("/api/v1/accounts", {{"name", "Client B"}}, ann.token);
  ASSERT_EQ(client.status, 402) << client.body;
  EXPECT_EQ(client.body["error"]["details"]["limit"], "client_accounts");
  EXPECT_EQ(client.body["error"]["details"]["upgrade_to"], "growth");
  // From inside a client account, a new one is still the agency's: no way around the limit.
  const auto inside = api.post("/api/v1/auth/switch-account", {{"account_id", client_a.body["id"]}}, ann.token);
  ASSERT_EQ(inside.status, 200) << inside.body;
  EXPECT_EQ(api.post("/api/v1/accounts", {{"name", "Client C"}}, inside.body["access_token"]).status, 402);
  EXPECT_EQ(billing()["usage"]["client_accounts"], 1);
  EXPECT_EQ(billing()["usage"]["team_members"], 3);

  subscribe(checkout());
  EXPECT_EQ(
      api.post("/api/v1/accounts/current/members", {{"email", "d@example.com"}, {"role", "viewer"}}, ann.token).status,
      201);
  EXPECT_EQ(api.post("/api/v1/accounts", {{"name", "Client B"}}, ann.token).status, 201);
}

TEST_F(BillingTest, TheFreePlanShowsNinetyDaysOfHistory) {
  const auto me = billing();
  ASSERT_FALSE(me["history_start"].is_null());
  const std::string start = me["history_start"];
  const std::string before = sql("SELECT ('" + start + "'::date - 1)::text");
  const std::string today = sql("SELECT ('" + start + "'::date + 89)::text");
  EXPECT_EQ(api.get("/api/v1/metrics/summary?from=" + start + "&to=" + today, ann.token).status, 200);
  for (const std::string path : {"/api/v1/metrics/summary", "/api/v1/metrics/timeseries", "/api/v1/metrics/campaigns",
                                 "/api/v1/metrics/orders", "/api/v1/metrics/orders.csv", "/api/v1/metrics/channels"}) {
    const auto r = api.get(path + "?from=" + before + "&to=" + today, ann.token);
    EXPECT_EQ(r.status, 402) << path << " " << r.body;
    EXPECT_EQ(r.error_code(), "payment_required") << path;
  }
  const auto compared =
      api.get("/api/v1/metrics/summary?from=" + start + "&to=" + today + "&compare=previous_period", ann.token);
  EXPECT_EQ(compared.status, 402) << "the previous period lies before the window";
  db.set_plan(ann.account_id, "agency");
  EXPECT_EQ(api.get("/api/v1/metrics/summary?from=" + before + "&to=" + today, ann.token).status, 200);
  EXPECT_TRUE(billing()["history_start"].is_null());
}

}  // namespace
}  // namespace otq::testing
