// POST /api/v1/webhooks/shopify against the real server and worker: the HMAC gate, one delivery
// per webhook id, orders and refunds applied, newer data kept, uninstall, and the three privacy
// requests doing what they say.
#include <thread>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <pqxx/pqxx>

#include "app/security/digest.hpp"
#include "app/services/shopify_webhooks.hpp"
#include "tests/support/api_client.hpp"
#include "tests/support/crypto.hpp"
#include "tests/support/env.hpp"
#include "tests/support/fake_providers.hpp"
#include "tests/support/pg.hpp"
#include "tests/support/process.hpp"

namespace otq::testing {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

constexpr const char* kShop = "north-shop.myshopify.com";

TEST(ShopifyHmac, MatchesAKnownAnswerAndRefusesAnythingElse) {
  // base64(HMAC-SHA256("hush", '{"id":1}')), computed independently with Python's hmac module.
  EXPECT_TRUE(services::valid_shopify_hmac("hush", R"({"id":1})", "VnKUjZsLuN5iZWjn5EntcBVCF9kMN43LglzCE1/GSeY="));
  EXPECT_FALSE(services::valid_shopify_hmac("hush", R"({"id":2})", "VnKUjZsLuN5iZWjn5EntcBVCF9kMN43LglzCE1/GSeY="));
  EXPECT_FALSE(services::valid_shopify_hmac("other", R"({"id":1})", "VnKUjZsLuN5iZWjn5EntcBVCF9kMN43LglzCE1/GSeY="));
  EXPECT_FALSE(services::valid_shopify_hmac("hush", R"({"id":1})", ""));
  EXPECT_FALSE(services::valid_shopify_hmac("", R"({"id":1})", "VnKUjZsLuN5iZWjn5EntcBVCF9kMN43LglzCE1/GSeY="));
}

json order(const std::string& id, const std::string& updated_at, const std::string& total) {
  return {{"id", std::stoll(id)},
          {"name", "#" + id},
          {"email", "jo@example.com"},
          {"created_at", "2026-11-20T10:00:00-05:00"},
          {"processed_at", "2026-11-20T10:00:00-05:00"},
          {"updated_at", updated_at},
          {"currency", "USD"},
          {"total_price", total},
          {"subtotal_price", total},
          {"total_discounts", "0.00"},
          {"total_tax", "0.00"},
          {"financial_status", "paid"},
          {"cancelled_at", nullptr},
          {"test", false},
          {"landing_site", "/?utm_source=facebook&fbclid=IwAR9"},
          {"customer", {{"id", 501}, {"email", "jo@example.com"}, {"first_name", "Jo"}, {"last_name", "Doe"}}},
          {"line_items", {{{"id", 1}}}},
          {"refunds", json::array()}};
}

struct ShopifyWebhook : ::testing::Test {
  TestDatabase db;
  ServerProcess server = start_server(db.url(), {{"SHOPIFY_API_KEY", FakeProviders::kShopifyClientId},
                                                 {"SHOPIFY_API_SECRET", FakeProviders::kShopifyClientSecret}});
  ApiClient api{server.port};
  Person ann = signup(api, "ann@example.com", "Ann's store");
  std::unique_ptr<ChildProcess> worker;
  int next_id = 1;

  std::int64_t q(const std::string& sql) {
    pqxx::connection c(db.url());
    pqxx::nontransaction tx(c);
    const auto r = tx.exec(sql);
    return r.empty() || r[0][0].is_null() ? 0 : r[0][0].as<std::int64_t>();
  }
  std::string text(const std::string& sql) {
    pqxx::connection c(db.url());
    pqxx::nontransaction tx(c);
    const auto r = tx.exec1(sql);
    return r[0].is_null() ? "" : r[0].as<std::string>();
  }

  // A Shopify connection of Ann's account, as the OAuth callback leaves it.
  void connect_shop() {
    pqxx::connection c(db.url());
    pqxx::work tx(c);
    tx.exec_params(
        "INSERT INTO integrations (account_id, public_id, provider, external_account_id, status) "
        "SELECT id, 'int_ShopifyWebhookTest0001', 'shopify', $2, 'active' FROM accounts WHERE public_id = $1",
        ann.account_id, kShop);
    tx.commit();
  }

  void start_worker() {
    worker = std::make_unique<ChildProcess>(
        binary_path(), std::vector<std::string>{"worker"},
        std::map<std::string, std::string>{{"DATABASE_URL", db.url()},
                                           {"TOKEN_ENCRYPTION_KEY", std::string(kTestTokenKeyRing)},
                                           {"SHOPIFY_API_SECRET", FakeProviders::kShopifyClientSecret},
                                           {"JOB_POLL_MS", "50"}});
    ASSERT_TRUE(worker->wait_for_event("worker_started")) << worker->output();
  }

  httplib::Result deliver(const std::string& topic, const std::string& body, std::string webhook_id = "",
                          std::string secret = FakeProviders::kShopifyClientSecret) {
    if (webhook_id.empty()) webhook_id = fmt::format("wh-{}", next_id++);
    httplib::Client c("127.0.0.1", server.port);
    httplib::Headers h{{"X-Shopify-Topic", topic},
                       {"X-Shopify-Shop-Domain", kShop},
                       {"X-Shopify-Webhook-Id", webhook_id},
                       {"X-Shopify-API-Version", "2026-07"}};
    if (!secret.empty())
      h.emplace("X-Shopify-Hmac-Sha256", security::base64_encode(security::hmac_sha256(secret, body)));
    return c.Post("/api/v1/webhooks/shopify", h, body, "application/json");
  }

  // Polls until every delivery is applied (never a fixed sleep standing in for the result).
  bool all_applied() {
    for (int i = 0; i < 600; ++i) {
      if (q("SELECT count(*) FROM shopify_webhooks WHERE processed_at IS NULL") == 0) return true;
      std::this_thread::sleep_for(50ms);
    }
    return false;
  }
};

TEST_F(ShopifyWebhook, AWrongOrMissingSignatureIs401AndStoresNothing) {
  connect_shop();
  const std::string body = order("1001", "2026-11-20T10:00:00-05:00", "50.00").dump();
  const auto forged = deliver("orders/create", body, "", "not-the-secret");
  ASSERT_TRUE(forged);
  EXPECT_EQ(forged->status, 401);
  EXPECT_EQ(json::parse(forged->body)["error"]["code"], "unauthenticated");
  EXPECT_EQ(deliver("orders/create", body, "", "")->status, 401);
  // Signed, then altered on the way: the signature covers the exact bytes.
  httplib::Client c("127.0.0.1", server.port);
  const auto altered =
      c.Post("/api/v1/webhooks/shopify",
             {{"X-Shopify-Topic", "orders/create"},
              {"X-Shopify-Shop-Domain", kShop},
              {"X-Shopify-Webhook-Id", "wh-x"},
              {"X-Shopify-Hmac-Sha256",
               security::base64_encode(security::hmac_sha256(FakeProviders::kShopifyClientSecret, body))}},
             body + " ", "application/json");
  EXPECT_EQ(altered->status, 401);
  // Signed but not an object, or without its headers: 400.
  EXPECT_EQ(deliver("orders/create", "[1,2]")->status, 400);
  EXPECT_EQ(deliver("Orders/Create; DROP", body)->status, 400) << "a topic outside Shopify's shape";
  EXPECT_EQ(q("SELECT count(*) FROM shopify_webhooks"), 0);
  EXPECT_EQ(q("SELECT count(*) FROM jobs"), 0);
}

TEST_F(ShopifyWebhook, TheSameDeliveryTwiceIsOneOrderAndTheNewerUpdateWins) {
  connect_shop();
  const auto first = deliver("orders/create", order("1001", "2026-11-20T10:00:00-05:00", "50.00").dump(), "wh-a");
  ASSERT_EQ(first->status, 200) << first->body;
  EXPECT_EQ(json::parse(first->body)["duplicate"], false);
  const auto again = deliver("orders/create", order("1001", "2026-11-20T10:00:00-05:00", "50.00").dump(), "wh-a");
  EXPECT_EQ(json::parse(again->body)["duplicate"], true);
  // Edited twice; the later edit arrives first (Shopify does not promise order).
  deliver("orders/updated", order("1001", "2026-11-21T09:00:00-05:00", "80.00").dump());
  deliver("orders/updated", order("1001", "2026-11-20T12:00:00-05:00", "60.00").dump());
  EXPECT_EQ(q("SELECT count(*) FROM jobs WHERE kind = 'shopify.webhook'"), 3);
  start_worker();
  ASSERT_TRUE(all_applied());
  EXPECT_EQ(q("SELECT count(*) FROM orders"), 1);
  EXPECT_EQ(q("SELECT total_minor FROM orders WHERE external_id = '1001'"), 8000);
  EXPECT_EQ(text("SELECT fbclid FROM orders WHERE external_id = '1001'"), "IwAR9");
  EXPECT_EQ(q("SELECT count(*) FROM orders WHERE integration_id IS NOT NULL"), 1);
  EXPECT_EQ(q("SELECT count(*) FROM shopify_webhooks WHERE payload IS NOT NULL"), 0) << "no customer data lingers";
}

TEST_F(ShopifyWebhook, ARefundIsAddedToItsOrderAndNeverExceedsTheTotal) {
  connect_shop();
  deliver("orders/create", order("1001", "2026-11-20T10:00:00-05:00", "50.00").dump());
  start_worker();
  ASSERT_TRUE(all_applied());
  const json refund = {
      {"id", 77},
      {"order_id", 1001},
      {"created_at", "2026-11-22T09:00:00-05:00"},
      {"note", "damaged"},
      {"transactions", {{{"kind", "refund"}, {"status", "success"}, {"amount", "20.00"}, {"currency", "USD"}}}}};
  deliver("refunds/create", refund.dump());
  ASSERT_TRUE(all_applied());  // one after the other: the cap depends on which came first
  json too_much = refund;
  too_much["id"] = 78;
  too_much["transactions"][0]["amount"] = "45.00";
  deliver("refunds/create", too_much.dump());
  json unknown_order = refund;
  unknown_order["id"] = 79;
  unknown_order["order_id"] = 9999;
  deliver("refunds/create", unknown_order.dump());
  ASSERT_TRUE(all_applied());
  EXPECT_EQ(q("SELECT amount_minor FROM order_refunds WHERE external_id = '77'"), 2000);
  EXPECT_EQ(q("SELECT amount_minor FROM order_refunds WHERE external_id = '78'"), 3000) << "capped at what is left";
  EXPECT_EQ(q("SELECT count(*) FROM order_refunds"), 2);
  EXPECT_EQ(text("SELECT outcome FROM shopify_webhooks WHERE payload IS NULL ORDER BY id DESC LIMIT 1"),
            "refund of an order not stored yet (the next sync brings both)");
}

TEST_F(ShopifyWebhook, PrivacyRequestsAndUninstallDoWhatTheySay) {
  connect_shop();
  deliver("orders/create", order("1001", "2026-11-20T10:00:00-05:00", "50.00").dump());
  deliver("orders/create", order("1002", "2026-11-21T10:00:00-05:00", "70.00").dump());
  start_worker();
  ASSERT_TRUE(all_applied());
  ASSERT_EQ(q("SELECT count(*) FROM orders WHERE email = 'jo@example.com'"), 2);

  // customers/data_request: the account's owners get everything stored about the customer.
  deliver("customers/data_request", json{{"shop_domain", kShop},
                                         {"customer", {{"id", 501}, {"email", "jo@example.com"}}},
                                         {"orders_requested", {1001, 1002}},
                                         {"data_request", {{"id", 9999}}}}
                                        .dump());
  ASSERT_TRUE(all_applied());
  const std::string mail =
      text("SELECT body_text FROM outbox_emails WHERE to_email = 'ann@example.com' AND subject LIKE '%their data%'");
  EXPECT_NE(mail.find("\"#1001\""), std::string::npos) << mail;
  EXPECT_NE(mail.find("\"#1002\""), std::string::npos);
  EXPECT_EQ(q("SELECT count(*) FROM audit_log WHERE action = 'privacy.data_request'"), 1);

  // customers/redact: their email and name are gone, the anonymous order facts stay.
  deliver("customers/redact", json{{"shop_domain", kShop},
                                   {"customer", {{"id", 501}, {"email", "jo@example.com"}}},
                                   {"orders_to_redact", {1001, 1002}}}
                                  .dump());
  ASSERT_TRUE(all_applied());
  EXPECT_EQ(q("SELECT count(*) FROM orders WHERE email IS NOT NULL"), 0);
  EXPECT_EQ(q("SELECT count(*) FROM customers WHERE email IS NOT NULL OR first_name IS NOT NULL"), 0);
  EXPECT_EQ(q("SELECT sum(total_minor) FROM orders"), 12000);

  // app/uninstalled, then shop/redact 48 hours later: the connection ends, then the shop's data.
  deliver("app/uninstalled", json{{"id", 1}, {"domain", kShop}}.dump());
  ASSERT_TRUE(all_applied());
  EXPECT_EQ(text("SELECT status FROM integrations WHERE provider = 'shopify'"), "disconnected");
  deliver("shop/redact", json{{"shop_id", 1}, {"shop_domain", kShop}}.dump());
  ASSERT_TRUE(all_applied());
  EXPECT_EQ(q("SELECT count(*) FROM orders"), 0);
  EXPECT_EQ(q("SELECT count(*) FROM customers"), 0);
  EXPECT_EQ(q("SELECT count(*) FROM audit_log WHERE action = 'privacy.shop_redacted'"), 1);
}

TEST_F(ShopifyWebhook, ADeliveryForAShopNobodyConnectedIsAcknowledgedAndDropped) {
  const auto r = deliver("orders/create", order("1001", "2026-11-20T10:00:00-05:00", "50.00").dump());
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(q("SELECT count(*) FROM jobs"), 0);
  EXPECT_EQ(text("SELECT outcome FROM shopify_webhooks"), "no connection of this shop");
  EXPECT_EQ(q("SELECT count(*) FROM shopify_webhooks WHERE payload IS NULL AND processed_at IS NOT NULL"), 1);
}

}  // namespace
}  // namespace otq::testing
