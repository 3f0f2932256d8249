// Shopify webhooks: verification and fan-out on the request path; the topics' effects in apply(),
// run by the worker with the account's scope (orders upserted through the ingest model, so a
// webhook and a poll of the same order keep whichever is newer).
#include "app/services/shopify_webhooks.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "app/connectors/shopify/orders.hpp"
#include "app/errors.hpp"
#include "app/json_input.hpp"
#include "app/logging.hpp"
#include "app/models/audit.hpp"
#include "app/models/ingest.hpp"
#include "app/models/integration.hpp"
#include "app/models/job.hpp"
#include "app/models/member.hpp"
#include "app/models/privacy.hpp"
#include "app/models/shopify_webhook.hpp"
#include "app/security/digest.hpp"
#include "app/telemetry.hpp"

namespace otq::services {
namespace {

using nlohmann::json;

bool is_order_topic(const std::string& t) {
  return t == "orders/create" || t == "orders/updated" || t == "orders/cancelled" || t == "orders/paid" ||
         t == "orders/fulfilled" || t == "orders/edited";
}

bool is_privacy_topic(const std::string& t) {
  return t == "customers/data_request" || t == "customers/redact" || t == "shop/redact";
}

std::string text_of(const json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number_integer()) return std::to_string(v.get<std::int64_t>());
  return {};
}

models::privacy::Subject subject_of(const json& payload) {
  models::privacy::Subject s;
  s.platform = "shopify";
  const json customer = payload.value("customer", json::object());
  if (customer.is_object()) {
    if (auto id = text_of(customer.value("id", json())); !id.empty()) s.customer_external_id = id;
    if (auto email = text_of(customer.value("email", json())); !email.empty()) s.email = email;
  }
  for (const char* field : {"orders_requested", "orders_to_redact"}) {
    for (const auto& id : payload.value(field, json::array())) {
      if (auto text = text_of(id); !text.empty()) s.order_external_ids.push_back(text);
    }
  }
  return s;
}

void audit(pqxx::transaction_base& tx, const models::AccountScope& scope, const std::string& action,
           const std::string& integration, json metadata) {
  models::audit::Entry e;
  e.action = action;
  e.target_type = "integration";
  e.target_id = integration;
  e.metadata = std::move(metadata);
  models::audit::record(tx, scope, e);
}

}  // namespace

bool valid_shopify_hmac(std::string_view secret, std::string_view raw_body, std::string_view hmac_base64) {
  if (secret.empty() || hmac_base64.empty()) return false;
  return security::constant_time_equal(security::base64_encode(security::hmac_sha256(secret, raw_body)), hmac_base64);
}

json ShopifyWebhooks::receive(const ShopifyDelivery& d, std::string_view raw_body) {
  const std::string& secret = config_.providers.shopify_client_secret;
  if (secret.empty()) {
    throw Error(ErrorCode::unavailable,
                "Shopify webhooks are not set up on this server: an operator must set SHOPIFY_API_SECRET.");
  }
  // The signature first, over the bytes as received; nothing is parsed or stored before it holds.
  if (!valid_shopify_hmac(secret, raw_body, d.hmac)) {
    log::warn("shopify_webhook_rejected", {{"topic", d.topic.substr(0, 64)}, {"shop", d.shop.substr(0, 255)}});
    telemetry::webhook_verifications_failed().with({"shopify"}).inc();
    throw Error(ErrorCode::unauthenticated, "X-Shopify-Hmac-Sha256 does not match the body.");
  }
  if (d.topic.empty() || d.shop.empty() || d.webhook_id.empty()) {
    throw Error(ErrorCode::invalid_argument,
                "X-Shopify-Topic, X-Shopify-Shop-Domain and X-Shopify-Webhook-Id are required.");
  }
  if (d.webhook_id.size() > 200 || d.shop.size() > 255 || d.topic.size() > 101) {
    throw Error(ErrorCode::invalid_argument, "A Shopify header is longer than Shopify sends.");
  }
  // Topics are resource/event in lower case (orders/updated, customers/data_request).
  const auto slash = d.topic.find('/');
  const bool topic_shaped = slash != std::string::npos && slash > 0 && slash + 1 < d.topic.size() && slash <= 50 &&
                            d.topic.size() - slash - 1 <= 50 && d.topic.find('/', slash + 1) == std::string::npos &&
                            std::all_of(d.topic.begin(), d.topic.end(),
                                        [](char c) { return (c >= 'a' && c <= 'z') || c == '_' || c == '/'; });
  if (!topic_shaped) throw Error(ErrorCode::invalid_argument, "X-Shopify-Topic is not a Shopify topic.");
  json payload = parse_untrusted_json(raw_body);
  if (!payload.is_object()) throw Error(ErrorCode::invalid_argument, "The body is not a JSON object.");

  return pool_.transact([&](pqxx::work& tx) -> json {
    const auto id = models::shopify_webhook::record(tx, d.webhook_id, d.shop, d.topic, payload);
    if (!id) return {{"received", true}, {"duplicate", true}};
    const bool known = is_order_topic(d.topic) || d.topic == "refunds/create" || d.topic == "app/uninstalled" ||
                       is_privacy_topic(d.topic);
    const auto connections = known ? models::shopify_webhook::connections_of_shop(tx, d.shop, is_privacy_topic(d.topic))
                                   : std::vector<models::shopify_webhook::Connection>{};
    int jobs = 0;
    for (const auto& c : connections) {
      // The signed delivery names the shop; each connection of it names an account.
      const models::AccountScope scope(c.account_id);
      const auto integration = models::integration::find_by_id(tx, scope, c.integration_id);
      if (!integration) continue;
      models::job::NewJob job;
      job.kind = kJobKind;
      job.payload = {{"delivery", *id}, {"integration", integration->public_id}};
      job.max_attempts = config_.job_max_attempts;
      job.priority = 5;
      models::job::enqueue(tx, scope, job);
      ++jobs;
    }
    models::shopify_webhook::expect_jobs(tx, *id, jobs, !known ? "topic not handled" : "no connection of this shop");
    log::info("shopify_webhook_received", {{"topic", d.topic}, {"jobs", jobs}});
    return {{"received", true}, {"duplicate", false}};
  });
}

std::string ShopifyWebhooks::apply(const models::AccountScope& scope, const json& job) {
  return pool_.transact([&](pqxx::work& tx) -> std::string {
    const auto delivery = models::shopify_webhook::find(tx, job.value("delivery", std::int64_t{0}));
    if (!delivery || delivery->payload.is_null()) return "already applied";
    const auto integration = models::integration::find(tx, scope, job.value("integration", ""));
    std::string outcome;
    const json& p = delivery->payload;
    const std::string& topic = delivery->topic;
    if (!integration) {
      outcome = "the connection no longer exists";
    } else if (is_order_topic(topic)) {
      std::string error;
      const auto row = connectors::shopify::order_from_rest(p, error);
      if (!row) {
        outcome = "unreadable order: " + error;
      } else {
        const auto counts = models::ingest::upsert_orders(tx, scope, {*row}, integration->id);
        outcome = counts.inserted ? "order inserted" : counts.updated ? "order updated" : "order unchanged";
      }
    } else if (topic == "refunds/create") {
      const std::string order_id = text_of(p.value("order_id", json()));
      const auto currency = models::ingest::order_currency(tx, scope, "shopify", order_id);
      std::string error;
      const auto refund = currency ? connectors::shopify::refund_from_rest(p, *currency, error) : std::nullopt;
      if (!currency) {
        outcome = "refund of an order not stored yet (the next sync brings both)";
      } else if (!refund) {
        outcome = "unreadable refund: " + error;
      } else {
        models::ingest::upsert_refund(tx, scope, "shopify", order_id, *refund);
        outcome = "refund stored";
      }
    } else if (topic == "app/uninstalled") {
      models::integration::disconnect(tx, scope, integration->public_id);
      audit(tx, scope, "integration.uninstalled", integration->public_id, {{"shop", delivery->shop_domain}});
      outcome = "connection disconnected";
    } else if (topic == "customers/data_request") {
      const auto subject = subject_of(p);
      const json data = models::privacy::customer_data(tx, scope, subject);
      // The store's owners receive what we hold, to pass on to the customer.
      const std::string body = fmt::format(
          "Shopify forwarded a customer's request for their data (shop {}, request {}). This is everything "
          "OmniTrackIQ holds about them, as JSON:\n\n{}\n",
          delivery->shop_domain, text_of(p.value("data_request", json::object()).value("id", json())), data.dump(2));
      int owners = 0;
      for (const auto& m : models::member::list(tx, scope)) {
        if (m.role != models::Role::owner) continue;
        models::member::enqueue_mail(tx, m.email, "A customer asked for their data (Shopify)", body);
        ++owners;
      }
      audit(tx, scope, "privacy.data_request", integration->public_id,
            {{"orders", data["orders"].size()}, {"sent_to_owners", owners}});
      outcome = fmt::format("data of {} orders sent to {} owners", data["orders"].size(), owners);
    } else if (topic == "customers/redact") {
      const auto changed = models::privacy::redact_customer(tx, scope, subject_of(p));
      audit(tx, scope, "privacy.customer_redacted", integration->public_id, {{"rows", changed}});
      outcome = fmt::format("{} rows redacted", changed);
    } else if (topic == "shop/redact") {
      const auto erased = models::privacy::erase_integration_orders(tx, scope, integration->id, "shopify");
      models::integration::disconnect(tx, scope, integration->public_id);
      audit(tx, scope, "privacy.shop_redacted", integration->public_id, {{"orders_deleted", erased}});
      outcome = fmt::format("{} orders erased", erased);
    } else {
      outcome = "topic not handled";
    }
    models::shopify_webhook::job_done(tx, delivery->id, outcome);
    return outcome;
  });
}

}  // namespace otq::services
