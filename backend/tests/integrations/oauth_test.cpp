// Connecting providers: OAuth state (signed, single use, bound to user and account, expiring),
// Shopify's hmac and shop checks (no request to a foreign host), credentials sealed at rest,
// disconnecting, and the integrations list's honest statuses.
#include <chrono>
#include <functional>
#include <thread>

#include <gtest/gtest.h>
#include <pqxx/pqxx>

#include "app/security/digest.hpp"
#include "tests/support/api_client.hpp"
#include "tests/support/crypto.hpp"
#include "tests/support/env.hpp"
#include "tests/support/fake_providers.hpp"
#include "tests/support/pg.hpp"
#include "tests/support/process.hpp"

namespace otq::testing {
namespace {

using nlohmann::json;

// Query parameters of a URL, percent-decoded.
std::map<std::string, std::string> query_of(const std::string& url) {
  std::map<std::string, std::string> out;
  const auto q = url.find('?');
  if (q == std::string::npos) return out;
  httplib::Params params;
  httplib::detail::parse_query_text(url.substr(q + 1), params);
  for (const auto& [k, v] : params) out.emplace(k, v);
  return out;
}

std::string encode(const std::string& s) {
  return httplib::detail::encode_query_param(s);
}

struct Connect : ::testing::Test {
  FakeProviders fake;
  TestDatabase db;
  ServerProcess server = start_server(db.url(), {{"META_APP_ID", FakeProviders::kAppId},
                                                 {"META_APP_SECRET", FakeProviders::kAppSecret},
                                                 {"META_API_BASE", fake.base_url()},
                                                 {"META_OAUTH_BASE", fake.base_url()},
                                                 {"SHOPIFY_API_KEY", FakeProviders::kShopifyClientId},
                                                 {"SHOPIFY_API_SECRET", FakeProviders::kShopifyClientSecret},
                                                 {"SHOPIFY_API_BASE", fake.shopify_base()},
                                                 {"PUBLIC_URL", "https://app.example.com"}});
  ApiClient api{server.port};
  Person ann = signup(api, "ann@example.com", "Ann's store");

  // The browser coming back from the provider, with `token` as its session cookie.
  ApiResponse callback(const std::string& provider, const std::string& query, const std::string& token) {
    httplib::Headers h;
    if (!token.empty()) h.emplace("Cookie", "otq_session=" + token);
    return api.get("/api/v1/integrations/" + provider + "/callback?" + query, "", h);
  }

  std::string state_for(const std::string& provider, const std::string& token, const json& body = json::object()) {
    const auto r = api.post("/api/v1/integrations/" + provider + "/connect", body, token);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.status == 200 ? query_of(r.body["url"])["state"] : "";
  }

  std::int64_t scalar(const std::string& sql) {
    pqxx::connection c(db.url());
    pqxx::nontransaction tx(c);
    return tx.exec(sql)[0][0].as<std::int64_t>();
  }

  // `omnitrackiq worker` with the same provider configuration as the server: the production path
  // from a connection made through OAuth to its first sync.
  std::unique_ptr<ChildProcess> start_worker() {
    auto w = std::make_unique<ChildProcess>(
        binary_path(), std::vector<std::string>{"worker"},
        std::map<std::string, std::string>{{"DATABASE_URL", db.url()},
                                           {"TOKEN_ENCRYPTION_KEY", std::string(kTestTokenKeyRing)},
                                           {"META_APP_ID", FakeProviders::kAppId},
                                           {"META_APP_SECRET", FakeProviders::kAppSecret},
                                           {"META_API_BASE", fake.base_url()},
                                           {"SHOPIFY_API_KEY", FakeProviders::kShopifyClientId},
                                           {"SHOPIFY_API_SECRET", FakeProviders::kShopifyClientSecret},
                                           {"SHOPIFY_API_BASE", fake.shopify_base()},
                                           {"JOB_POLL_MS", "100"}});
    EXPECT_TRUE(w->wait_for_event("worker_started")) << w->output();
    return w;
  }

  bool eventually(const std::function<bool()>& pred) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (!pred() && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return pred();
  }
};

TEST_F(Connect, MetaLoginStoresASealedLongLivedTokenAndShowsConnected) {
  const auto start = api.post("/api/v1/integrations/facebook_ads/connect", json::object(), ann.token);
  ASSERT_EQ(start.status, 200) << start.body;
  const std::string url = start.body["url"];
  EXPECT_TRUE(url.starts_with(fake.base_url() + "/v25.0/dialog/oauth?")) << url;
  auto q = query_of(url);
  EXPECT_EQ(q["client_id"], FakeProviders::kAppId);
  EXPECT_EQ(q["scope"], "ads_read");
  EXPECT_EQ(q["response_type"], "code");
  EXPECT_EQ(q["redirect_uri"], "https://app.example.com/api/v1/integrations/facebook_ads/callback");

  const auto back = callback("facebook_ads", "code=good-code&state=" + encode(q["state"]), ann.token);
  ASSERT_EQ(back.status, 302);
  const std::string location = back.header("Location");
  EXPECT_NE(location.find("/integrations?provider=facebook_ads&connected=int_"), std::string::npos) << location;
  EXPECT_EQ(back.header("Referrer-Policy"), "no-referrer");

  // The code was exchanged with our secret and redirect URI, then for a long-lived token.
  const auto exchanges = fake.requests_to("/oauth/access_token");
  ASSERT_EQ(exchanges.size(), 2u);
  EXPECT_EQ(exchanges[0].query.at("code"), "good-code");
  EXPECT_EQ(exchanges[0].query.at("redirect_uri"), q["redirect_uri"]);
  EXPECT_EQ(exchanges[1].query.at("grant_type"), "fb_exchange_token");

  // Stored sealed: the column holds ciphertext under key k1, not the token.
  pqxx::connection c(db.url());
  pqxx::nontransaction tx(c);
  const auto row =
      tx.exec1("SELECT credentials_key_id, credentials_ciphertext, external_account_id, status FROM integrations");
  EXPECT_EQ(row[0].as<std::string>(), "k1");
  const std::string stored = pqxx::binarystring(row[1]).str();
  EXPECT_EQ(stored.find(FakeProviders::kLongLivedToken), std::string::npos);
  EXPECT_GT(stored.size(), std::string(FakeProviders::kLongLivedToken).size() + 28);
  EXPECT_EQ(row[2].as<std::string>(), "10150000000000001");

  const auto list = api.get("/api/v1/integrations", ann.token);
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(list.body.dump().find(FakeProviders::kLongLivedToken), std::string::npos) << "never returned";
  ASSERT_EQ(list.body["data"].size(), 6u);
  const auto& meta = list.body["data"][0];
  EXPECT_EQ(meta["provider"], "facebook_ads");
  EXPECT_EQ(meta["status"], "connected");
  EXPECT_EQ(meta["connections"][0]["name"], "Ann Advertiser");
  EXPECT_TRUE(meta["connections"][0]["last_synced_at"].is_null()) << "not synced yet, and it says so";
  for (const auto& p : list.body["data"]) {
    if (p["provider"] == "google_ads" || p["provider"] == "tiktok_ads" || p["provider"] == "ga4") {
      EXPECT_FALSE(p["available"].get<bool>()) << p;
      EXPECT_EQ(p["status"], "not_connected");
    }
  }
  // Neither the token, the app secret nor the code reached the log.
  const std::string log = server.process->output();
  for (const char* secret : {FakeProviders::kLongLivedToken, FakeProviders::kAppSecret, "EAAshortlived", "good-code"}) {
    EXPECT_EQ(log.find(secret), std::string::npos) << secret << " in the log";
  }

  // The worker syncs the new connection: the login's ad accounts (/me/adaccounts), 90 days back.
  auto worker = start_worker();
  ASSERT_TRUE(eventually([&] { return scalar("SELECT count(*) FROM sync_runs WHERE status = 'succeeded'") == 1; }))
      << worker->output();
  EXPECT_EQ(scalar("SELECT count(*) FROM ad_spend WHERE ad_account_id = 'act_1'"), 90 * 2);
  EXPECT_EQ(fake.requests_to("/v25.0/me/adaccounts").size(), 1u);
  EXPECT_EQ(api.get("/api/v1/integrations", ann.token).body["data"][0]["connections"][0]["status"], "connected");
}

TEST_F(Connect, ForgedReplayedExpiredAndCrossAccountStatesAreRefused) {
  const std::string state = state_for("facebook_ads", ann.token);
  ASSERT_FALSE(state.empty());
  auto refused = [&](const ApiResponse& r, const std::string& reason) {
    EXPECT_EQ(r.status, 302);
    EXPECT_NE(r.header("Location").find("error=" + reason), std::string::npos) << r.header("Location");
  };
  // Forged: a changed payload or signature.
  std::string forged = state;
  forged[5] = forged[5] == 'A' ? 'B' : 'A';
  refused(callback("facebook_ads", "code=good-code&state=" + encode(forged), ann.token), "invalid_state");
  refused(callback("facebook_ads", "code=good-code&state=" + encode(state + "x"), ann.token), "invalid_state");
  refused(callback("facebook_ads", "code=good-code&state=garbage", ann.token), "invalid_state");
  // For another provider.
  refused(callback("shopify", "code=good-code&state=" + encode(state), ann.token), "invalid_state");
  // Someone else's browser, or none.
  const Person eve = signup(api, "eve@example.com");
  refused(callback("facebook_ads", "code=good-code&state=" + encode(state), eve.token), "wrong_session");
  refused(callback("facebook_ads", "code=good-code&state=" + encode(state), ""), "wrong_session");
  // Ann herself, but switched to another account of hers.
  const auto other = api.post("/api/v1/accounts", {{"name", "Client B"}}, ann.token);
  ASSERT_EQ(other.status, 201) << other.body;
  const auto switched = api.post("/api/v1/auth/switch-account", {{"account_id", other.body["id"]}}, ann.token);
  ASSERT_EQ(switched.status, 200) << switched.body;
  refused(callback("facebook_ads", "code=good-code&state=" + encode(state), switched.body["access_token"]),
          "wrong_session");
  EXPECT_TRUE(fake.requests_to("/oauth/access_token").empty()) << "no code was exchanged for a refused state";

  // The real one works once; a replay is refused.
  ASSERT_NE(callback("facebook_ads", "code=good-code&state=" + encode(state), ann.token)
                .header("Location")
                .find("connected="),
            std::string::npos);
  refused(callback("facebook_ads", "code=good-code&state=" + encode(state), ann.token), "state_used");
  EXPECT_EQ(scalar("SELECT count(*) FROM integrations"), 1);

  // An expired state (the 10 minutes are over) is refused.
  const std::string late = state_for("facebook_ads", ann.token);
  pqxx::connection c(db.url());
  pqxx::nontransaction(c).exec(
      "UPDATE oauth_states SET expires_at = now() - interval '1 second' WHERE used_at IS NULL");
  refused(callback("facebook_ads", "code=good-code&state=" + encode(late), ann.token), "state_used");

  // A provider name with CR/LF cannot inject headers into the redirect: it is percent-encoded in
  // the Location (which the test client decodes again), and no header appears.
  const auto injected = callback("x%0d%0aSet-Cookie:%20otq_session=evil", "state=" + encode(state), ann.token);
  EXPECT_EQ(injected.status, 302);
  EXPECT_EQ(injected.header("Set-Cookie"), "") << "no header was injected";
  EXPECT_NE(injected.header("Location").find("error=unknown_provider"), std::string::npos);

  // The user declined on Meta's dialog.
  refused(
      callback("facebook_ads", "error=access_denied&state=" + encode(state_for("facebook_ads", ann.token)), ann.token),
      "denied");
  // A bad code: the provider refuses the exchange; nothing stored.
  refused(callback("facebook_ads", "code=bad-code&state=" + encode(state_for("facebook_ads", ann.token)), ann.token),
          "exchange_failed");
  EXPECT_EQ(scalar("SELECT count(*) FROM integrations"), 1);
}

TEST_F(Connect, ShopifyChecksTheShopDomainAndTheCallbackSignature) {
  // Not a *.myshopify.com domain: 422, and nothing is requested from it (SSRF).
  for (const char* shop : {"evil.com", "127.0.0.1", "my-store.myshopify.com.evil.com", "http://x.myshopify.com",
                           "a/b.myshopify.com", "localhost"}) {
    const auto r = api.post("/api/v1/integrations/shopify/connect", {{"shop", shop}}, ann.token);
    EXPECT_EQ(r.status, 422) << shop << " " << r.body;
  }
  EXPECT_TRUE(fake.requests().empty());
  EXPECT_EQ(api.post("/api/v1/integrations/shopify/connect", json::object(), ann.token).status, 400);

  const auto start =
      api.post("/api/v1/integrations/shopify/connect", {{"shop", "https://My-Store.myshopify.com/"}}, ann.token);
  ASSERT_EQ(start.status, 200) << start.body;
  const std::string url = start.body["url"];
  EXPECT_TRUE(url.starts_with(fake.base_url() + "/shops/my-store.myshopify.com/admin/oauth/authorize?")) << url;
  auto q = query_of(url);
  EXPECT_EQ(q["client_id"], FakeProviders::kShopifyClientId);
  EXPECT_EQ(q["scope"], "read_orders,read_all_orders,read_customers");

  // Shopify signs its redirect: hex HMAC-SHA256 of the other parameters, sorted, with the secret.
  auto signed_query = [&](const std::string& shop, const std::string& secret) {
    std::map<std::string, std::string> p{{"code", "good-code"},
                                         {"shop", shop},
                                         {"state", q["state"]},
                                         {"timestamp", "1732700000"},
                                         {"host", "YWRtaW4="}};
    std::string message, query;
    for (const auto& [k, v] : p) {
      message += (message.empty() ? "" : "&") + k + "=" + encode(v);
      query += k + "=" + encode(v) + "&";
    }
    return query + "hmac=" + security::to_hex(security::hmac_sha256(secret, message));
  };
  auto location = [&](const std::string& query) { return callback("shopify", query, ann.token).header("Location"); };
  EXPECT_NE(location(signed_query("my-store.myshopify.com", "not-the-secret")).find("error=invalid_signature"),
            std::string::npos);
  EXPECT_NE(
      location(signed_query("other-store.myshopify.com", FakeProviders::kShopifyClientSecret)).find("error=wrong_shop"),
      std::string::npos);
  EXPECT_TRUE(fake.requests_to("/admin/oauth/access_token").empty());

  // The states above were consumed by those attempts (single use): start again, sign properly.
  q = query_of(api.post("/api/v1/integrations/shopify/connect", {{"shop", "my-store.myshopify.com"}}, ann.token)
                   .body["url"]
                   .get<std::string>());
  const std::string ok = location(signed_query("my-store.myshopify.com", FakeProviders::kShopifyClientSecret));
  EXPECT_NE(ok.find("connected=int_"), std::string::npos) << ok;
  const auto exchange = fake.requests_to("/shops/my-store.myshopify.com/admin/oauth/access_token");
  ASSERT_EQ(exchange.size(), 1u);
  EXPECT_EQ(json::parse(exchange[0].body)["code"], "good-code");
  EXPECT_EQ(scalar("SELECT count(*) FROM integrations WHERE provider = 'shopify' AND external_account_id = "
                   "'my-store.myshopify.com' AND credentials_ciphertext IS NOT NULL"),
            1);

  // The worker syncs the shop through the same SHOPIFY_API_BASE, with the token from the exchange.
  fake.shopify_orders = 30;
  auto worker = start_worker();
  ASSERT_TRUE(eventually([&] { return scalar("SELECT count(*) FROM sync_runs WHERE status = 'succeeded'") == 1; }))
      << worker->output();
  std::int64_t total = 0;
  for (int n = 1; n <= 30; ++n) total += FakeProviders::order_total_cents(n);
  EXPECT_EQ(scalar("SELECT count(*) FROM orders"), 30);
  EXPECT_EQ(scalar("SELECT sum(total_minor) FROM orders"), total);
  const auto pages = fake.requests_to("/shops/my-store.myshopify.com/admin/api/");
  ASSERT_FALSE(pages.empty());
  EXPECT_EQ(pages[0].headers.at("X-Shopify-Access-Token"), FakeProviders::kShopifyToken);
}

TEST_F(Connect, DisconnectRevokesDeletesCredentialsAndKeepsHistory) {
  const std::string state = state_for("facebook_ads", ann.token);
  const std::string location =
      callback("facebook_ads", "code=good-code&state=" + encode(state), ann.token).header("Location");
  const std::string id = location.substr(location.find("connected=") + 10);
  ASSERT_TRUE(id.starts_with("int_")) << location;
  pqxx::connection c(db.url());
  pqxx::nontransaction(c).exec(
      "INSERT INTO sync_runs (account_id, public_id, integration_id, kind, status) SELECT account_id, "
      "'sync_0000000000000000000001', id, 'scheduled', 'succeeded' FROM integrations");

  // Viewers cannot disconnect; settings are checked key by key.
  EXPECT_EQ(api.send("PATCH", "/api/v1/integrations/" + id, ann.token, {{"settings", {{"ad_account_ids", {"act_1"}}}}})
                .body["data"]["settings"]["ad_account_ids"][0],
            "act_1");
  EXPECT_EQ(api.send("PATCH", "/api/v1/integrations/" + id, ann.token, {{"settings", {{"shop", "x"}}}}).status, 400);
  EXPECT_EQ(api.send("PATCH", "/api/v1/integrations/" + id, ann.token, {{"sync_frequency_minutes", 7}}).status, 400);

  const auto gone = api.send("DELETE", "/api/v1/integrations/" + id, ann.token);
  ASSERT_EQ(gone.status, 200) << gone.body;
  EXPECT_EQ(gone.body["data"]["status"], "disconnected");
  const auto revoked = fake.requests_to("/me/permissions");
  ASSERT_EQ(revoked.size(), 1u);
  EXPECT_EQ(revoked[0].method, "DELETE");
  EXPECT_EQ(revoked[0].headers.at("Authorization"), std::string("Bearer ") + FakeProviders::kLongLivedToken);
  EXPECT_EQ(scalar("SELECT count(*) FROM integrations WHERE credentials_ciphertext IS NULL"), 1);
  EXPECT_EQ(api.get("/api/v1/integrations/" + id + "/runs", ann.token).body["data"].size(), 1u) << "history kept";
  EXPECT_EQ(api.post("/api/v1/integrations/" + id + "/sync", json::object(), ann.token).status, 409);
  EXPECT_EQ(api.get("/api/v1/integrations", ann.token).body["data"][0]["status"], "disconnected");
  EXPECT_EQ(api.get("/api/v1/integrations/int_0000000000000000000000", ann.token).status, 404);
}

TEST_F(Connect, WooCommerceKeysAndComingSoonProviders) {
  const json keys{{"consumer_key", "ck_" + std::string(40, 'a')}, {"consumer_secret", "cs_" + std::string(40, 'b')}};
  for (const std::string& url :
       {std::string("http://shop.example.com"), std::string("https://127.0.0.1"), std::string("https://localhost"),
        std::string("https://db.internal"), std::string("https://user@shop.example.com"),
        std::string("https://shop.example.com:8443"), std::string("https://127.1"), std::string("https://0x7f.1"),
        std::string("https://2130706433"), "https://shop.example.com/" + std::string(250, 'p')}) {
    auto body = keys;
    body["store_url"] = url;
    EXPECT_EQ(api.post("/api/v1/integrations/woocommerce/connect", body, ann.token).status, 422) << url;
  }
  auto body = keys;
  body["store_url"] = "https://Shop.Example.com/";
  body["consumer_secret"] = "secret";
  EXPECT_EQ(api.post("/api/v1/integrations/woocommerce/connect", body, ann.token).status, 422);
  body["consumer_secret"] = keys["consumer_secret"];
  const auto made = api.post("/api/v1/integrations/woocommerce/connect", body, ann.token);
  ASSERT_EQ(made.status, 201) << made.body;
  EXPECT_EQ(made.body["data"]["external_account_id"], "https://shop.example.com");
  EXPECT_EQ(made.body.dump().find(std::string(40, 'b')), std::string::npos) << "the secret is never returned";
  EXPECT_EQ(api.post("/api/v1/integrations/google_ads/connect", json::object(), ann.token).status, 422);
  EXPECT_EQ(api.post("/api/v1/integrations/myspace/connect", json::object(), ann.token).status, 404);
}

TEST(ConnectUnconfigured, AProviderWithoutAppCredentialsSaysSo) {
  TestDatabase db;
  auto server = start_server(db.url());
  ApiClient api(server.port);
  const Person ann = signup(api, "ann@example.com");
  const auto r = api.post("/api/v1/integrations/facebook_ads/connect", json::object(), ann.token);
  EXPECT_EQ(r.status, 422);
  EXPECT_NE(r.body["error"]["message"].get<std::string>().find("not set up on this server"), std::string::npos);
  EXPECT_FALSE(api.get("/api/v1/integrations", ann.token).body["data"][0]["configured"].get<bool>());
}

TEST(DisconnectOffline, AnUnreachableProviderDoesNotStopTheDisconnect) {
  TestDatabase db;
  // Nothing listens on port 1: revoking the token at "Meta" fails at once.
  auto server = start_server(db.url(), {{"META_API_BASE", "http://127.0.0.1:1"}});
  ApiClient api(server.port);
  const Person ann = signup(api, "ann@example.com");
  const std::string id = "int_" + std::string(22, 'D');
  {
    pqxx::connection c(db.url());
    pqxx::work tx(c);
    const auto account =
        tx.exec_params1("SELECT id FROM accounts WHERE public_id = $1", ann.account_id)[0].as<std::int64_t>();
    const auto sealed = test_credential_cipher().seal(R"({"access_token":"EAAtoken"})",
                                                      "otq-credentials-v1|" + std::to_string(account) + "|" + id);
    tx.exec_params(
        "INSERT INTO integrations (account_id, public_id, provider, external_account_id, status, "
        "credentials_ciphertext, credentials_key_id) VALUES ($1, $2, 'facebook_ads', '1015', 'active', $3, $4)",
        account, id, pqxx::binarystring(sealed.ciphertext), sealed.key_id);
    tx.commit();
  }
  const auto r = api.send("DELETE", "/api/v1/integrations/" + id, ann.token);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.body["data"]["status"], "disconnected");
  pqxx::connection c(db.url());
  EXPECT_EQ(pqxx::nontransaction(c)
                .exec1("SELECT count(*) FROM integrations WHERE credentials_ciphertext IS NULL")[0]
                .as<int>(),
            1)
      << "the credentials are gone even though the provider could not be told";
  EXPECT_TRUE(server.process->wait_for_event("revoke_skipped", std::chrono::seconds(5)));
}

}  // namespace
}  // namespace otq::testing
