// Fuzz target: JSON request bodies, through Request::json_object() (as the routes read them) into
// every parse_* of schemas/auth, schemas/billing and schemas/integrations, and ObjectReader itself.
//
// Contract: each step returns or throws otq::Error with a client code (invalid_argument,
// unprocessable); anything else would be a 500 for a request a client fully controls. The plan
// catalogue parser (operator input: BILLING_PLANS_FILE) may throw std::invalid_argument only, the
// one exception Config::load turns into a readable start-up error.
#include <fstream>
#include <iterator>
#include <stdexcept>

#include "app/http/message.hpp"
#include "app/schemas/auth.hpp"
#include "app/schemas/billing.hpp"
#include "app/schemas/integrations.hpp"
#include "app/schemas/object_reader.hpp"
#include "contract.hpp"
#include "fuzz_paths.hpp"

namespace {

using otq::ErrorCode;
using otq::fuzz::expect_client_errors;
using otq::fuzz::require;
namespace auth = otq::schemas::auth;
namespace billing = otq::schemas::billing;
namespace integrations = otq::schemas::integrations;

constexpr auto kInvalid = ErrorCode::invalid_argument;
constexpr auto kUnprocessable = ErrorCode::unprocessable;

const billing::Catalog& catalog() {
  // Two plans purchasable, as with STRIPE_PRICES set; the rest of the catalogue as shipped.
  static const billing::Catalog c = [] {
    std::ifstream in(kPlansFile);
    const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    const std::vector<std::string> prices{"growth:month=price_growth_m", "agency:year=price_agency_y"};
    return billing::Catalog::parse(text, prices);
  }();
  return c;
}

void parse_json_object(const nlohmann::json& body) {
  const auto shape_only = {kInvalid};  // the auth parsers check shape only
  expect_client_errors("parse_signup", shape_only, [&] {
    const auto r = auth::parse_signup(body);
    require(!r.email.empty() && !r.password.empty() && !r.account_name.empty(), "parse_signup",
            "a required field came back empty");
    require(!r.currency || auth::is_iso4217(*r.currency), "parse_signup", "a currency outside ISO 4217 passed");
  });
  expect_client_errors("parse_login", shape_only, [&] { auth::parse_login(body); });
  expect_client_errors("parse_switch_account", shape_only, [&] { auth::parse_switch_account(body); });
  expect_client_errors("parse_change_password", shape_only, [&] { auth::parse_change_password(body); });
  expect_client_errors("parse_create_api_key", shape_only, [&] {
    const auto r = auth::parse_create_api_key(body);
    require(r.role == "read" || r.role == "ingest", "parse_create_api_key", "role " + r.role + " passed");
  });
  expect_client_errors("parse_create_account", shape_only, [&] { auth::parse_create_account(body); });
  expect_client_errors("parse_update_account", shape_only, [&] { auth::parse_update_account(body); });
  expect_client_errors("parse_invite", shape_only, [&] { auth::parse_invite(body); });
  expect_client_errors("parse_account_erasure", shape_only, [&] { auth::parse_account_erasure(body); });
  expect_client_errors("parse_role_change", shape_only, [&] { auth::parse_role_change(body); });
  expect_client_errors("parse_accept_invitation", shape_only, [&] { auth::parse_accept_invitation(body); });
  expect_client_errors("parse_password_reset_request", shape_only, [&] { auth::parse_password_reset_request(body); });
  expect_client_errors("parse_password_reset_confirm", shape_only, [&] { auth::parse_password_reset_confirm(body); });
  expect_client_errors("parse_checkout", {kInvalid, kUnprocessable}, [&] {
    const auto r = billing::parse_checkout(body, catalog());
    const auto* plan = catalog().find(r.plan);
    require(plan != nullptr && plan->prices.contains(r.interval) && !plan->prices.at(r.interval).stripe_price.empty(),
            "parse_checkout", "a plan/interval without a Stripe price passed: " + r.plan + "/" + r.interval);
  });
  // ObjectReader on its own: every accessor on the same object, then finish().
  expect_client_errors("ObjectReader", shape_only, [&] {
    otq::schemas::ObjectReader r(body);
    r.optional_string("a", 8);
    r.optional_name("b", 8);
    r.required_string("c", 64);
    r.required_name("d", 64);
    r.finish();
  });
}

void parse_raw_body(std::string_view body) {
  expect_client_errors("parse_patch", {kInvalid}, [&] {
    const auto r = integrations::parse_patch(body);
    if (r.settings) {
      // What PATCH /integrations/{provider} does next (the service checks the settings).
      for (const char* provider : {"facebook_ads", "shopify", "woocommerce", "google_ads"}) {
        expect_client_errors(std::string("check_settings:") + provider, {kInvalid},
                             [&] { integrations::check_settings(provider, *r.settings); });
      }
    }
  });
  for (const char* provider : {"facebook_ads", "shopify", "woocommerce"}) {
    expect_client_errors(std::string("parse_connect:") + provider, {kInvalid, kUnprocessable}, [&] {
      const auto r = integrations::parse_connect(provider, body);
      if (std::string_view(provider) == "shopify") {
        require(r.shop && r.shop->ends_with(".myshopify.com"), "parse_connect:shopify", "shop " + r.shop.value_or(""));
      }
      if (std::string_view(provider) == "woocommerce") {
        require(r.store_url && r.store_url->starts_with("https://"), "parse_connect:woocommerce",
                "store_url " + r.store_url.value_or(""));
      }
    });
  }
  // Operator input, read once at start-up: only std::invalid_argument becomes a clean exit 78.
  try {
    billing::Catalog::parse(body, std::vector<std::string>{"growth:month=price_1"});
  } catch (const std::invalid_argument&) {
  } catch (const std::bad_exception&) {
    throw;
  } catch (const std::exception& e) {
    otq::fuzz::violation("Catalog::parse/" + otq::fuzz::current_exception_type(), e.what());
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return otq::fuzz::run_input([&] {
    const std::string_view text = otq::fuzz::as_text(data, size);
    otq::http::Request request;
    request.headers.add("Content-Type", "application/json");
    request.body = std::string(text);
    nlohmann::json body;
    bool parsed = false;
    expect_client_errors("Request::json_object", {kInvalid}, [&] {
      body = request.json_object();
      parsed = true;
    });
    if (parsed) parse_json_object(body);
    parse_raw_body(text);
  });
}
