// Billing service. Stripe is the source of truth: the database keeps a copy of each subscription
// as of the latest Stripe time seen, and accounts.plan follows it inside the same transaction.
#include "app/services/billing_service.hpp"

#include <algorithm>
#include <chrono>

#include <fmt/format.h>

#include "app/clock.hpp"
#include "app/errors.hpp"
#include "app/json_input.hpp"
#include "app/logging.hpp"
#include "app/models/audit.hpp"
#include "app/models/metrics.hpp"
#include "app/models/user.hpp"
#include "app/security/random.hpp"
#include "app/security/stripe_signature.hpp"
#include "app/services/plan_limits.hpp"
#include "app/telemetry.hpp"

namespace otq::services {
namespace {

using nlohmann::json;
namespace sub = models::subscription;
namespace sb = schemas::billing;

constexpr std::string_view kStatuses[] = {"incomplete", "incomplete_expired", "trialing", "active",
                                          "past_due",   "canceled",           "unpaid",   "paused"};
// invoice.payment_failed: a paying subscription falls behind (a first payment failing keeps it
// incomplete). invoice.paid: it is current again.
constexpr const char* kFailableStatuses = "'active', 'trialing'";
constexpr const char* kPayableStatuses = "'past_due', 'unpaid', 'incomplete'";

// A Stripe reference: "cus_..." or, when expanded, an object with that id.
std::optional<std::string> id_of(const json& object, const char* field) {
  const auto it = object.find(field);
  if (it == object.end()) return std::nullopt;
  if (it->is_string()) return it->get<std::string>();
  if (it->is_object() && it->contains("id") && (*it)["id"].is_string()) return (*it)["id"].get<std::string>();
  return std::nullopt;
}

std::optional<std::int64_t> time_of(const json& object, const char* field) {
  const auto it = object.find(field);
  if (it == object.end() || !it->is_number_integer()) return std::nullopt;
  return it->get<std::int64_t>();
}

// The invoice's subscription: `parent.subscription_details.subscription` on current API
// versions, `subscription` on older ones.
std::optional<std::string> invoice_subscription(const json& invoice) {
  if (const auto parent = invoice.find("parent"); parent != invoice.end() && parent->is_object()) {
    if (const auto d = parent->find("subscription_details"); d != parent->end() && d->is_object()) {
      if (auto id = id_of(*d, "subscription")) return id;
    }
  }
  return id_of(invoice, "subscription");
}

std::string format_date(std::string_view rfc3339) {
  return std::string(rfc3339.substr(0, 10));
}

// The sentence the billing page shows above the plan, if any.
json notice_of(const std::optional<sub::Current>& s, const sb::Plan& plan, const sb::Catalog& catalog) {
  if (!s) return nullptr;
  const auto* paid = catalog.find(s->plan);
  const std::string name = paid != nullptr ? paid->name : s->plan;
  const std::string end = s->current_period_end ? format_date(*s->current_period_end) : "the end of the period";
  if (s->status == "past_due") {
    return fmt::format(
        "Your last payment for {} failed. Update your card under Manage billing; Stripe retries the payment, and "
        "the plan stays active meanwhile.",
        name);
  }
  if (s->status == "unpaid") return fmt::format("{} is unpaid. Pay the open invoice under Manage billing.", name);
  if (s->status == "incomplete") return "Your payment was not completed. Finish it under Manage billing.";
  if (s->status == "canceled" || s->status == "incomplete_expired") {
    return fmt::format("Your {} subscription has ended; you are on the {} plan.", name, plan.name);
  }
  if (s->status == "paused") return fmt::format("{} is paused. Resume it under Manage billing.", name);
  if (s->cancel_at_period_end) {
    return fmt::format("{} ends on {}. Renew it under Manage billing to keep it.", name, end);
  }
  if (s->status == "trialing" && s->trial_end) {
    return fmt::format("Your {} trial ends on {}.", name, format_date(*s->trial_end));
  }
  return nullptr;
}

}  // namespace

BillingService::BillingService(db::Pool& pool, const Config& config, connectors::HttpClient::Sleep sleep)
    : pool_(pool),
      config_(config),
      stripe_(config.billing, std::min(config.outbound_timeout, std::chrono::seconds(20)), std::move(sleep)) {}

json BillingService::plans() const {
  json out = sb::render_plans(config_.billing.catalog);
  out["checkout_available"] = stripe_.configured();
  return out;
}

json BillingService::me(const AuthContext& ctx) {
  const auto& catalog = config_.billing.catalog;
  return pool_.read([&](pqxx::read_transaction& tx) {
    const auto& plan = plan_limits::current(tx, ctx.scope, catalog);
    const auto s = sub::current(tx, ctx.scope);
    const bool has_customer = sub::customer_of(tx, ctx.scope).has_value();
    auto opt = [](const std::optional<std::string>& v) { return v ? json(*v) : json(nullptr); };
    return json{
        {"data",
         {{"plan", {{"id", plan.id}, {"name", plan.name}, {"white_label", plan.white_label}}},
          {"status", s ? json(s->status) : json(nullptr)},
          {"subscription_plan", s ? json(s->plan) : json(nullptr)},
          {"interval", s ? opt(s->interval) : json(nullptr)},
          {"current_period_end", s ? opt(s->current_period_end) : json(nullptr)},
          {"cancel_at_period_end", s ? s->cancel_at_period_end : false},
          {"trial_end", s ? opt(s->trial_end) : json(nullptr)},
          {"notice", notice_of(s, plan, catalog)},
          {"can_manage", has_customer && stripe_.configured()},
          {"checkout_available", stripe_.configured()},
          {"limits", sb::render_limits(plan.limits)},
          {"usage", plan_limits::usage(tx, ctx.scope)},
          {"history_start", opt(plan_limits::history_start(plan, models::metrics::settings(tx, ctx.scope).today))}}}};
  });
}

json BillingService::checkout(const AuthContext& ctx, const sb::CheckoutRequest& req, const RequestMeta& meta) {
  const auto& price = config_.billing.catalog.find(req.plan)->prices.find(req.interval)->second;
  struct Facts {
    std::optional<std::string> customer;
    std::optional<sub::Current> current;
    std::string account_name;
    std::string email;
  };
  const auto facts = pool_.read([&](pqxx::read_transaction& tx) {
    Facts f{sub::customer_of(tx, ctx.scope), sub::current(tx, ctx.scope), "", ""};
    f.account_name = models::account::find(tx, ctx.scope).name;
    if (const auto user = models::user::find_by_public_id(tx, ctx.user_public_id)) f.email = user->email;
    return f;
  });
  // Only after a subscription ended may another begin: plan changes go through the portal.
  if (facts.current && facts.current->status != "canceled" && facts.current->status != "incomplete_expired") {
    throw Error(ErrorCode::conflict,
                "This account already has a subscription; change the plan or interval under Manage billing.");
  }

  // One customer per account, ever: the idempotency key is the account's, so a retry (or a second
  // click racing the first) gets the same customer back from Stripe.
  std::string customer;
  if (facts.customer) {
    customer = *facts.customer;
  } else {
    StripeForm form{{"name", facts.account_name}, {"metadata[account_id]", ctx.account_public_id}};
    if (!facts.email.empty()) form.emplace_back("email", facts.email);
    const json created = stripe_.post("/v1/customers", form, "otq-customer-" + ctx.account_public_id);
    if (!created.contains("id") || !created["id"].is_string()) {
      throw Error(ErrorCode::upstream, "Stripe did not create the billing account; try again.",
                  "customer response without id");
    }
    customer = pool_.transact(
        [&](pqxx::work& tx) { return sub::set_customer(tx, ctx.scope, created["id"].get<std::string>()); });
  }

  const std::string base = config_.public_url + "/billing";
  const StripeForm form{{"mode", "subscription"},
                        {"customer", customer},
                        {"client_reference_id", ctx.account_public_id},
                        {"line_items[0][price]", price.stripe_price},
                        {"line_items[0][quantity]", "1"},
                        {"success_url", base + "?checkout=success&session_id={CHECKOUT_SESSION_ID}"},
                        {"cancel_url", base + "?checkout=cancelled"},
                        {"allow_promotion_codes", "true"},
                        {"metadata[account_id]", ctx.account_public_id},
                        {"metadata[plan]", req.plan},
                        {"subscription_data[metadata][account_id]", ctx.account_public_id},
                        {"subscription_data[metadata][plan]", req.plan}};
  const json session = stripe_.post("/v1/checkout/sessions", form, "otq-checkout-" + security::random_hex(16));
  if (!session.contains("url") || !session["url"].is_string()) {
    throw Error(ErrorCode::upstream, "Stripe did not start the checkout; try again.", "session response without url");
  }
  pool_.transact([&](pqxx::work& tx) {
    models::audit::Entry e;
    e.action = "billing.checkout";
    e.actor_user_id = ctx.user_id;
    e.target_type = "account";
    e.target_id = ctx.account_public_id;
    e.request_id = meta.request_id;
    e.ip = meta.ip;
    e.user_agent = meta.user_agent;
    e.metadata = {{"plan", req.plan}, {"interval", req.interval}};
    models::audit::record(tx, ctx.scope, e);
  });
  return {{"url", session["url"]}, {"id", session.value("id", "")}};
}

json BillingService::portal(const AuthContext& ctx, const RequestMeta& meta) {
  const auto customer = pool_.read([&](pqxx::read_transaction& tx) { return sub::customer_of(tx, ctx.scope); });
  if (!customer) {
    throw Error(ErrorCode::conflict, "This account has no billing details yet; choose a plan first.");
  }
  const json session = stripe_.post("/v1/billing_portal/sessions",
                                    {{"customer", *customer}, {"return_url", config_.public_url + "/billing"}},
                                    "otq-portal-" + security::random_hex(16));
  if (!session.contains("url") || !session["url"].is_string()) {
    throw Error(ErrorCode::upstream, "Stripe did not open the billing portal; try again.", "portal without url");
  }
  log::info("billing_portal_opened", {{"account", ctx.account_public_id}, {"request_id", meta.request_id}});
  return {{"url", session["url"]}};
}

sub::State BillingService::state_of(const json& s, std::int64_t state_at) const {
  sub::State st;
  st.state_at = state_at;
  st.subscription_id = s.value("id", "");
  st.customer_id = id_of(s, "customer").value_or("");
  st.status = s.value("status", "");
  if (!st.subscription_id.starts_with("sub_") || !st.customer_id.starts_with("cus_") ||
      std::find(std::begin(kStatuses), std::end(kStatuses), st.status) == std::end(kStatuses)) {
    throw std::invalid_argument("the subscription lacks an id, a customer or a known status");
  }
  st.cancel_at_period_end = s.value("cancel_at_period_end", false);
  st.trial_end = time_of(s, "trial_end");
  st.current_period_end = time_of(s, "current_period_end");  // API versions before 2025-03
  const json items = s.contains("items") && s["items"].is_object() ? s["items"].value("data", json::array()) : json();
  if (items.is_array() && !items.empty() && items[0].is_object()) {
    const json& item = items[0];
    if (const auto end = time_of(item, "current_period_end")) st.current_period_end = end;
    if (item.contains("price") && item["price"].is_object()) st.price_id = item["price"].value("id", "");
  }
  const auto& catalog = config_.billing.catalog;
  if (st.price_id) {
    if (const auto found = catalog.by_stripe_price(*st.price_id)) {
      st.plan = found->first->id;
      st.interval = found->second;
    }
  }
  if (st.plan.empty()) {
    // A price this server does not know (made in the dashboard): the plan we asked for at checkout.
    const json metadata = s.value("metadata", json::object());
    const std::string named = metadata.is_object() ? metadata.value("plan", "") : "";
    if (catalog.find(named) == nullptr || named == sb::kFreePlan) {
      throw std::invalid_argument(fmt::format("price {} is not in STRIPE_PRICES and the subscription names no plan",
                                              st.price_id.value_or("(none)")));
    }
    st.plan = named;
  }
  return st;
}

std::optional<sub::State> BillingService::fetch_subscription(const std::string& subscription_id,
                                                             std::int64_t event_created) {
  if (!stripe_.configured() || !subscription_id.starts_with("sub_")) return std::nullopt;
  // Stamped with the event's time, not our clock: a later event always wins over it, and a clock
  // running ahead of Stripe's can never hide one.
  return state_of(stripe_.get("/v1/subscriptions/" + connectors::HttpClient::encode(subscription_id)), event_created);
}

BillingService::Applied BillingService::apply_event(pqxx::transaction_base& tx, const json& event,
                                                    const std::optional<sub::State>& fetched) {
  const std::string type = event["type"];
  const json& object = event["data"]["object"];
  const std::int64_t created = event["created"];
  Applied out;
  auto account_for = [&](const std::optional<std::string>& customer,
                         const std::optional<std::string>& public_id) -> std::optional<std::int64_t> {
    if (customer) {
      if (auto id = sub::account_by_customer(tx, *customer)) return id;
    }
    if (public_id) return sub::account_by_public_id(tx, *public_id);
    return std::nullopt;
  };
  auto metadata_account = [](const json& o) -> std::optional<std::string> {
    const json m = o.value("metadata", json::object());
    if (!m.is_object() || !m.contains("account_id") || !m["account_id"].is_string()) return std::nullopt;
    return m["account_id"].get<std::string>();
  };

  std::optional<std::int64_t> account;
  std::optional<sub::State> state;
  std::optional<std::pair<std::string, const char*>> transition;  // to, from
  std::optional<std::string> subscription_id;
  if (type == "checkout.session.completed") {
    if (object.value("mode", "") != "subscription") return {std::nullopt, std::nullopt, false};
    const auto reference = object.contains("client_reference_id") && object["client_reference_id"].is_string()
                               ? std::optional(object["client_reference_id"].get<std::string>())
                               : std::nullopt;
    account = reference ? sub::account_by_public_id(tx, *reference) : std::nullopt;
    if (!account) account = account_for(id_of(object, "customer"), std::nullopt);
    state = fetched;
  } else if (type.starts_with("customer.subscription.")) {
    state = state_of(object, created);
    account = account_for(state->customer_id, metadata_account(object));
  } else if (type == "invoice.paid" || type == "invoice.payment_failed") {
    subscription_id = invoice_subscription(object);
    if (!subscription_id) return {std::nullopt, std::nullopt, false};  // a one-off invoice
    account = account_for(id_of(object, "customer"), std::nullopt);
    transition = type == "invoice.paid" ? std::pair{std::string("active"), kPayableStatuses}
                                        : std::pair{std::string("past_due"), kFailableStatuses};
    state = fetched;
  } else {
    return {std::nullopt, std::nullopt, false};
  }
  out.handled = true;
  out.account_id = account;
  if (!account) {
    out.error = "no account has this Stripe customer or reference";
    return out;
  }
  const models::AccountScope scope(*account);
  if (type == "checkout.session.completed") {
    if (const auto customer = id_of(object, "customer")) {
      if (sub::set_customer(tx, scope, *customer) != *customer) {
        out.error = "the session's customer differs from the account's";
        return out;
      }
    }
  }
  bool changed = false;
  if (transition && sub::exists(tx, scope, *subscription_id)) {
    changed = sub::transition(tx, scope, *subscription_id, transition->second, transition->first, created);
  } else if (state) {
    if (!sub::customer_of(tx, scope)) sub::set_customer(tx, scope, state->customer_id);
    changed = sub::apply(tx, scope, *state);
  }
  const auto [before, after] = sub::refresh_plan(tx, scope, std::string(sb::kFreePlan));
  int limited = 0;
  if (before != after) limited = plan_limits::apply_integration_limits(tx, scope, config_.billing.catalog);
  if (changed || before != after) {
    models::audit::Entry e;
    e.action = "billing.subscription";
    e.target_type = "account";
    e.request_id = event.value("id", "");
    e.metadata = {{"event", type}, {"plan_before", before}, {"plan", after}, {"integrations_changed", limited}};
    if (state) e.metadata["status"] = state->status;
    if (transition) e.metadata["status"] = transition->first;
    models::audit::record(tx, scope, e);
  }
  log::info("stripe_event_applied", {{"type", type}, {"changed", changed}, {"plan_before", before}, {"plan", after}});
  return out;
}

WebhookResult BillingService::webhook(std::string_view signature_header, std::string_view raw_body) {
  const auto& secrets = config_.billing.webhook_secrets;
  if (secrets.empty()) {
    throw Error(ErrorCode::unavailable,
                "Stripe webhooks are not set up on this server: an operator must set STRIPE_WEBHOOK_SECRET.");
  }
  const auto verdict = security::verify_stripe_signature(signature_header, raw_body, secrets, unix_now());
  if (verdict != security::StripeSignature::valid) {
    log::warn("stripe_webhook_rejected", {{"reason", security::describe(verdict)}});
    telemetry::webhook_verifications_failed().with({"stripe"}).inc();
    throw Error(ErrorCode::invalid_argument,
                fmt::format("Stripe-Signature rejected: {}.", security::describe(verdict)));
  }
  const json event = parse_untrusted_json(raw_body);
  const bool shaped = event.is_object() && event.contains("id") && event["id"].is_string() &&
                      event["id"].get<std::string>().starts_with("evt_") &&
                      event["id"].get<std::string>().size() < 256 && event.contains("type") &&
                      event["type"].is_string() && event.contains("created") && event["created"].is_number_integer() &&
                      event.contains("data") && event["data"].is_object() && event["data"].contains("object") &&
                      event["data"]["object"].is_object();
  if (!shaped) {
    throw Error(ErrorCode::invalid_argument,
                "The body is not a Stripe event (id evt_..., type, created, data.object).");
  }
  const std::string id = event["id"];
  const std::string type = event["type"];
  if (pool_.read([&](pqxx::read_transaction& tx) { return sub::event_processed(tx, id); })) {
    return {200, {{"received", true}, {"duplicate", true}}};
  }

  // Reading Stripe happens before the transaction: the subscription a completed checkout or an
  // invoice refers to, when it is not stored yet, is read as it is now.
  std::optional<sub::State> fetched;
  std::optional<std::string> fetch_error;
  try {
    const json& object = event["data"]["object"];
    std::optional<std::string> subscription;
    if (type == "checkout.session.completed" && object.value("mode", "") == "subscription") {
      subscription = id_of(object, "subscription");
    } else if (type == "invoice.paid" || type == "invoice.payment_failed") {
      subscription = invoice_subscription(object);
      if (subscription && pool_.read([&](pqxx::read_transaction& tx) { return sub::stored(tx, *subscription); })) {
        subscription.reset();  // stored: the invoice moves it
      }
    }
    if (subscription) fetched = fetch_subscription(*subscription, event["created"].get<std::int64_t>());
  } catch (const StripeError& e) {
    if (!e.refused()) {  // unreachable or failing: Stripe delivers the event again later
      log::warn("stripe_event_deferred", {{"event", id}, {"type", type}, {"detail", e.internal_detail()}});
      throw Error(ErrorCode::unavailable, "Stripe could not be read; deliver the event again later.",
                  e.internal_detail())
          .retry_after(60);
    }
    fetch_error = "Stripe refused to show the subscription: " + e.internal_detail();
  } catch (const std::exception& e) {  // a subscription this server cannot read (unknown price...)
    fetch_error = e.what();
  }

  return pool_.transact([&](pqxx::work& tx) -> WebhookResult {
    if (!sub::claim_event(tx, id, type, event)) return {200, {{"received", true}, {"duplicate", true}}};
    Applied applied;
    try {
      // The event row stays (with its error) when applying fails; the subtransaction takes back
      // whatever the failed apply wrote.
      pqxx::subtransaction apply(tx, "apply_event");
      applied = apply_event(apply, event, fetched);
      if (fetch_error && applied.handled && !applied.error) applied.error = fetch_error;
      if (applied.error) {
        apply.abort();
      } else {
        apply.commit();
      }
    } catch (const std::invalid_argument& e) {  // the event's object is not what Stripe sends
      applied = {std::nullopt, e.what(), true};
    } catch (const json::exception& e) {
      applied = {std::nullopt, fmt::format("unexpected field type: {}", e.what()), true};
    } catch (const pqxx::integrity_constraint_violation& e) {  // e.g. a customer linked to another account
      applied = {std::nullopt, "the event contradicts stored billing data (a customer of another account?)", true};
      log::warn("stripe_event_conflict", {{"event", id}, {"detail", e.what()}});
    }
    if (applied.error) log::warn("stripe_event_failed", {{"event", id}, {"type", type}, {"detail", *applied.error}});
    sub::finish_event(tx, id, applied.account_id, applied.error);
    return {200, {{"received", true}, {"handled", applied.handled && !applied.error}}};
  });
}

}  // namespace otq::services
