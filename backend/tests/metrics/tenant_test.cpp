// The tenant boundary on every metrics route (table-driven: a new metrics route must join the
// table): one account's orders, campaigns and amounts never appear in another account's answers,
// whether asked with a session or with a read API key.
#include <algorithm>

#include <gtest/gtest.h>
#include <pqxx/pqxx>

#include "app/api/router.hpp"
#include "tests/support/api_client.hpp"
#include "tests/support/pg.hpp"
#include "tests/support/process.hpp"
#include "tests/support/routes.hpp"

namespace otq::testing {
namespace {

// Markers unique to one account: an order number, public id, campaign id and name, and amounts.
struct Markers {
  std::string order_number, order_public_id, campaign_id, campaign_name, revenue, spend;
};

void load(const TestDatabase& db, const std::string& account_public_id, const Markers& m) {
  pqxx::connection c(db.url());
  pqxx::work tx(c);
  const auto id =
      tx.exec_params1("SELECT id FROM accounts WHERE public_id = $1", account_public_id)[0].as<std::int64_t>();
  tx.exec_params0(
      "INSERT INTO orders (account_id, public_id, platform, external_id, order_number, placed_at, currency, "
      "total_minor, "
      "utm_source) VALUES ($1, $2, 'shopify', $3, $3, now() - interval '2 days', 'USD', $4, 'facebook')",
      id, m.order_public_id, m.order_number, std::stol(m.revenue));
  tx.exec_params0(
      "INSERT INTO ad_spend (account_id, platform, ad_account_id, campaign_id, date, campaign_name, currency, "
      "spend_minor) VALUES ($1, 'facebook_ads', 'act_1', $2, (now() - interval '2 days')::date, $3, 'USD', $4)",
      id, m.campaign_id, m.campaign_name, std::stol(m.spend));
  tx.commit();
}

bool mentions(const std::string& body, const Markers& m) {
  for (const auto* s : {&m.order_number, &m.order_public_id, &m.campaign_id, &m.campaign_name, &m.revenue, &m.spend}) {
    if (body.find(*s) != std::string::npos) return true;
  }
  return false;
}

TEST(MetricsTenantBoundary, EveryMetricsRouteAnswersOnlyForTheCallersAccount) {
  TestDatabase db;
  auto server = start_server(db.url());
  ApiClient api(server.port);
  const Person ann = signup(api, "ann@example.com");
  const Person bob = signup(api, "bob@example.com");
  const Markers a{"#ANN-1001", "ord_AnnAnnAnnAnnAnnAnnAnnA", "ann-campaign-77", "Ann Secret Launch", "7777777",
                  "5555555"};
  const Markers b{"#BOB-2002", "ord_BobBobBobBobBobBobBobB", "bob-campaign-88", "Bob Spring Push", "1111111",
                  "2222222"};
  load(db, ann.account_id, a);
  load(db, bob.account_id, b);
  const auto key = api.post("/api/v1/api-keys", {{"name", "dashboard"}, {"role", "read"}}, bob.token);
  ASSERT_EQ(key.status, 201) << key.body;
  const std::string bob_key = key.body["key"];

  // Every metrics route with a query that would include the markers' day.
  const std::vector<std::string> paths = {
      "/api/v1/metrics/campaigns",
      "/api/v1/metrics/channels",
      "/api/v1/metrics/definitions",
      "/api/v1/metrics/orders",
      "/api/v1/metrics/orders.csv",
      "/api/v1/metrics/summary?compare=previous_period",
      "/api/v1/metrics/timeseries?metrics=revenue,spend,orders&group_by=platform",
  };
  for (const auto& path : paths) {
    SCOPED_TRACE(path);
    const auto as_ann = api.raw().Get(path, httplib::Headers{{"Authorization", "Bearer " + ann.token}});
    const auto as_bob = api.raw().Get(path, httplib::Headers{{"Authorization", "Bearer " + bob.token}});
    const auto as_key = api.raw().Get(path, httplib::Headers{{"Authorization", "Bearer " + bob_key}});
    ASSERT_TRUE(as_ann && as_bob && as_key);
    EXPECT_EQ(as_ann->status, 200) << as_ann->body;
    EXPECT_EQ(as_bob->status, 200) << as_bob->body;
    EXPECT_EQ(as_key->status, 200) << as_key->body;
    EXPECT_FALSE(mentions(as_bob->body, a)) << as_bob->body;
    EXPECT_FALSE(mentions(as_key->body, a)) << as_key->body;
    EXPECT_FALSE(mentions(as_ann->body, b)) << as_ann->body;
    if (path.find("definitions") == std::string::npos) {
      EXPECT_TRUE(mentions(as_ann->body, a)) << "the route must show the caller's own data: " << as_ann->body;
      EXPECT_TRUE(mentions(as_bob->body, b)) << as_bob->body;
    }
  }
  // Coverage: every metrics route is in the table above.
  for (const auto& route : api_routes()) {
    if (!route.pattern.starts_with("/api/v1/metrics")) continue;
    const bool covered = std::any_of(paths.begin(), paths.end(),
                                     [&](const std::string& p) { return p.substr(0, p.find('?')) == route.pattern; });
    EXPECT_TRUE(covered) << route.pattern << " is a metrics route: add it to this table";
  }
}

TEST(MetricsTenantBoundary, ACursorFromAnotherAccountOrFilterIsRefused) {
  TestDatabase db;
  auto server = start_server(db.url());
  ApiClient api(server.port);
  const Person ann = signup(api, "ann@example.com");
  const Person bob = signup(api, "bob@example.com");
  pqxx::connection c(db.url());
  {
    pqxx::work tx(c);
    tx.exec_params0(
        "INSERT INTO orders (account_id, public_id, platform, external_id, placed_at, currency, total_minor) "
        "SELECT a.id, 'ord_' || lpad(n::text, 22, '0'), 'shopify', 'o' || n, now() - n * interval '1 hour', 'USD', 100 "
        "FROM accounts a, generate_series(1, 3) n WHERE a.public_id = $1",
        ann.account_id);
    tx.commit();
  }
  const auto page = api.get("/api/v1/metrics/orders?limit=1", ann.token);
  ASSERT_EQ(page.status, 200) << page.body;
  const std::string cursor = page.body["next_cursor"];
  EXPECT_EQ(api.get("/api/v1/metrics/orders?limit=1&cursor=" + cursor, ann.token).status, 200);
  const auto other_account = api.get("/api/v1/metrics/orders?limit=1&cursor=" + cursor, bob.token);
  EXPECT_EQ(other_account.status, 400);
  EXPECT_EQ(other_account.error_code(), "invalid_argument");
  const auto other_filter = api.get("/api/v1/metrics/orders?limit=1&status=paid&cursor=" + cursor, ann.token);
  EXPECT_EQ(other_filter.status, 400);
  const auto forged = api.get("/api/v1/metrics/orders?cursor=" + cursor.substr(0, cursor.size() - 2) + "xx", ann.token);
  EXPECT_EQ(forged.status, 400);
}

TEST(MetricsValidation, BadQueriesGet400WithAMessageThatSaysWhatToFix) {
  TestDatabase db;
  auto server = start_server(db.url());
  ApiClient api(server.port);
  const Person ann = signup(api, "ann@example.com");
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"/api/v1/metrics/summary?from=2026-02-30", "'from' must be a date"},
      {"/api/v1/metrics/summary?from=2026-03-10&to=2026-03-01", "'from' must be on or before 'to'"},
      {"/api/v1/metrics/summary?from=2020-01-01&to=2026-01-01", "at most 1096 days"},
      {"/api/v1/metrics/summary?compare=yesterday", "'compare' must be"},
      {"/api/v1/metrics/summary?platform=myspace", "'platform' must be one of"},
      {"/api/v1/metrics/summary?form=2026-01-01", "Unknown query parameter 'form'"},
      {"/api/v1/metrics/summary?from=2026-01-01&from=2026-01-02", "more than once"},
      {"/api/v1/metrics/timeseries?interval=hour", "'interval' must be"},
      {"/api/v1/metrics/timeseries?metrics=revenue,happiness", "Unknown metric 'happiness'"},
      {"/api/v1/metrics/timeseries?group_by=campaign", "'group_by' must be"},
      {"/api/v1/metrics/campaigns?sort=vibes", "'sort' must be one of"},
      {"/api/v1/metrics/campaigns?limit=500", "'limit' must be"},
      {"/api/v1/metrics/orders?status=shipped", "'status' must be one of"},
      {"/api/v1/metrics/orders?cursor=not-a-cursor", "cursor"},
      {"/api/v1/metrics/orders.csv?cursor=abc", "takes no cursor"},
  };
  for (const auto& [path, message] : cases) {
    const auto r = api.get(path, ann.token);
    EXPECT_EQ(r.status, 400) << path << " " << r.body;
    EXPECT_EQ(r.error_code(), "invalid_argument") << path;
    EXPECT_NE(r.body["error"]["message"].get<std::string>().find(message), std::string::npos)
        << path << ": " << r.body["error"]["message"];
  }
}

}  // namespace
}  // namespace otq::testing
