// Fake Stripe API (cpp-httplib on loopback).
#include "tests/support/fake_stripe.hpp"

#include <fmt/format.h>

namespace otq::testing {
namespace {

using nlohmann::json;

void reply(httplib::Response& res, int status, const json& body) {
  res.status = status;
  res.set_header("Request-Id", "req_fake");
  res.set_content(body.dump(), "application/json");
}

json stripe_error(const std::string& type, const std::string& message) {
  return {{"error", {{"type", type}, {"message", message}}}};
}

}  // namespace

FakeStripe::FakeStripe() {
  // Every route: authenticated with the secret key, form-encoded like the real API.
  auto guard = [this](const httplib::Request& req, httplib::Response& res) {
    record(req);
    if (req.get_header_value("Authorization") != std::string("Bearer ") + kSecretKey) {
      reply(res, 401, stripe_error("invalid_request_error", "Invalid API Key provided."));
      return false;
    }
    if (req.method == "POST" &&
        req.get_header_value("Content-Type").find("application/x-www-form-urlencoded") == std::string::npos) {
      reply(res, 400, stripe_error("invalid_request_error", "Stripe takes form-encoded bodies."));
      return false;
    }
    return !fail(res);
  };
  server_.Post("/v1/customers", [this, guard](const httplib::Request& req, httplib::Response& res) {
    if (!guard(req, res)) return;
    idempotent(req, res, [&] {
      std::lock_guard lock(mutex_);
      return json{{"id", fmt::format("cus_Fake{:04}", next_id_++)},
                  {"object", "customer"},
                  {"email", req.get_param_value("email")},
                  {"name", req.get_param_value("name")},
                  {"metadata", {{"account_id", req.get_param_value("metadata[account_id]")}}}};
    });
  });
  server_.Post("/v1/checkout/sessions", [this, guard](const httplib::Request& req, httplib::Response& res) {
    if (!guard(req, res)) return;
    if (req.get_param_value("mode") != "subscription" || req.get_param_value("line_items[0][price]").empty()) {
      return reply(res, 400, stripe_error("invalid_request_error", "Missing required param: line_items."));
    }
    idempotent(req, res, [&] {
      std::lock_guard lock(mutex_);
      const std::string id = fmt::format("cs_test_Fake{:04}", next_id_++);
      return json{{"id", id},
                  {"object", "checkout.session"},
                  {"mode", "subscription"},
                  {"status", "open"},
                  {"customer", req.get_param_value("customer")},
                  {"client_reference_id", req.get_param_value("client_reference_id")},
                  {"success_url", req.get_param_value("success_url")},
                  {"cancel_url", req.get_param_value("cancel_url")},
                  {"url", "https://checkout.stripe.com/c/pay/" + id}};
    });
  });
  server_.Post("/v1/billing_portal/sessions", [this, guard](const httplib::Request& req, httplib::Response& res) {
    if (!guard(req, res)) return;
    idempotent(req, res, [&] {
      std::lock_guard lock(mutex_);
      const std::string id = fmt::format("bps_Fake{:04}", next_id_++);
      return json{{"id", id},
                  {"object", "billing_portal.session"},
                  {"customer", req.get_param_value("customer")},
                  {"return_url", req.get_param_value("return_url")},
                  {"url", "https://billing.stripe.com/p/session/" + id}};
    });
  });
  server_.Get(R"(/v1/subscriptions/([A-Za-z0-9_]+))",
              [this, guard](const httplib::Request& req, httplib::Response& res) {
                if (!guard(req, res)) return;
                std::lock_guard lock(mutex_);
                const auto it = subscriptions_.find(req.matches[1]);
                if (it == subscriptions_.end()) {
                  return reply(res, 404, stripe_error("invalid_request_error", "No such subscription"));
                }
                reply(res, 200, it->second);
              });
  port_ = server_.bind_to_any_port("127.0.0.1");
  thread_ = std::thread([this] { server_.listen_after_bind(); });
}

FakeStripe::~FakeStripe() {
  server_.stop();
  if (thread_.joinable()) thread_.join();
}

std::map<std::string, std::string> FakeStripe::server_env() const {
  return {{"STRIPE_SECRET_KEY", kSecretKey},
          {"STRIPE_WEBHOOK_SECRET", kWebhookSecret},
          {"STRIPE_API_BASE", base_url()},
          {"STRIPE_PRICES", fmt::format("growth:month={},growth:year={},agency:month={}", kGrowthMonthly, kGrowthYearly,
                                        kAgencyMonthly)},
          {"PUBLIC_URL", "https://app.example.com"}};
}

void FakeStripe::fail_next(int n, int status) {
  std::lock_guard lock(mutex_);
  failures_left_ = n;
  failure_status_ = status;
}

bool FakeStripe::fail(httplib::Response& res) {
  std::lock_guard lock(mutex_);
  if (failures_left_ == 0) return false;
  --failures_left_;
  reply(res, failure_status_, stripe_error("api_error", "Something went wrong on Stripe's end."));
  return true;
}

void FakeStripe::put_subscription(const json& subscription) {
  std::lock_guard lock(mutex_);
  subscriptions_[subscription["id"].get<std::string>()] = subscription;
}

json FakeStripe::subscription(const std::string& id, const std::string& customer, const std::string& price,
                              const std::string& status, std::int64_t period_end,
                              const std::string& account_public_id) {
  json metadata = json::object();
  if (!account_public_id.empty()) metadata["account_id"] = account_public_id;
  return {{"id", id},
          {"object", "subscription"},
          {"customer", customer},
          {"status", status},
          {"cancel_at_period_end", false},
          {"cancel_at", nullptr},
          {"trial_end", nullptr},
          {"metadata", metadata},
          {"items",
           {{"object", "list"},
            {"data",
             {{{"id", "si_" + id.substr(4)},
               {"object", "subscription_item"},
               {"current_period_start", period_end - 30 * 86400},
               {"current_period_end", period_end},
               {"price",
                {{"id", price},
                 {"object", "price"},
                 {"recurring", {{"interval", "month"}, {"interval_count", 1}}},
                 {"unit_amount", 14900},
                 {"currency", "usd"}}},
               {"quantity", 1}}}}}}};
}

void FakeStripe::idempotent(const httplib::Request& req, httplib::Response& res, const std::function<json()>& create) {
  const std::string key = req.get_header_value("Idempotency-Key");
  {
    std::lock_guard lock(mutex_);
    if (const auto it = replies_.find(key); !key.empty() && it != replies_.end()) {
      res.set_header("Idempotent-Replayed", "true");
      return reply(res, 200, json::parse(it->second));
    }
  }
  const json created = create();
  std::lock_guard lock(mutex_);
  if (!key.empty()) replies_[key] = created.dump();
  reply(res, 200, created);
}

void FakeStripe::record(const httplib::Request& req) {
  std::lock_guard lock(mutex_);
  requests_.push_back(RecordedRequest::of(req));
}

std::vector<RecordedRequest> FakeStripe::requests_to(const std::string& path_prefix) const {
  std::lock_guard lock(mutex_);
  std::vector<RecordedRequest> out;
  for (const auto& r : requests_) {
    if (r.path.starts_with(path_prefix)) out.push_back(r);
  }
  return out;
}

}  // namespace otq::testing
