// Integrations request checks.
#include "app/schemas/integrations.hpp"

#include <algorithm>
#include <cctype>
#include <regex>

#include <fmt/format.h>

#include "app/errors.hpp"
#include "app/json_input.hpp"
#include "app/schemas/object_reader.hpp"

namespace otq::schemas::integrations {
namespace {

using nlohmann::json;

json parse_object(std::string_view body) {
  if (body.empty()) return json::object();
  json doc = parse_untrusted_json(body);
  if (doc.is_discarded() && nests_deeper_than(body)) {
    throw Error(ErrorCode::invalid_argument, fmt::format("The body nests deeper than {} levels.", kMaxJsonDepth));
  }
  if (doc.is_discarded() || !doc.is_object()) {
    throw Error(ErrorCode::invalid_argument, "The body must be a JSON object.");
  }
  return doc;
}

[[noreturn]] void bad(const std::string& message) {
  throw Error(ErrorCode::invalid_argument, message);
}

int int_in(const json& v, std::string_view key, int min, int max) {
  if (!v.is_number_integer() || v.get<std::int64_t>() < min || v.get<std::int64_t>() > max) {
    bad(fmt::format("settings.{} must be a whole number from {} to {}.", key, min, max));
  }
  return v.get<int>();
}

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

bool public_https_host(const std::string& host) {
  static const std::regex kIpv4(R"(^\d{1,3}(\.\d{1,3}){3}$)");
  if (host.empty() || host.size() > 253 || host.front() == '[') return false;  // IPv6 literal
  if (std::regex_match(host, kIpv4)) return false;                             // any IP literal
  if (host == "localhost" || host.ends_with(".localhost") || host.ends_with(".local") || host.ends_with(".internal") ||
      host.find('.') == std::string::npos) {
    return false;
  }
  // Labels of letters, digits and hyphens, ending in an alphabetic top-level domain: numeric forms
  // that resolvers read as addresses ("127.1", "0x7f.1", "2130706433") never pass.
  static const std::regex kHost(R"(^([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+([a-z]{2,63}|xn--[a-z0-9-]{1,59})$)");
  return std::regex_match(host, kHost);
}

}  // namespace

std::optional<std::string> normalize_shop(std::string_view shop) {
  std::string s = lower(shop);
  if (s.starts_with("https://")) s.erase(0, 8);
  while (!s.empty() && s.back() == '/') s.pop_back();
  static const std::regex kShop(R"(^[a-z0-9][a-z0-9-]{0,59}\.myshopify\.com$)");
  if (!std::regex_match(s, kShop)) return std::nullopt;
  return s;
}

namespace {
bool known_setting(std::string_view provider, std::string_view key) {
  if (provider == "facebook_ads") {
    return key == "ad_account_ids" || key == "purchase_action_type" || key == "backfill_days" ||
           key == "restatement_days";
  }
  return (provider == "shopify" || provider == "woocommerce") && key == "backfill_days";
}
}  // namespace

json check_settings(std::string_view provider, const json& settings) {
  if (!settings.is_object()) bad("'settings' must be an object.");
  json out = json::object();
  for (const auto& [key, value] : settings.items()) {
    if (value.is_null() && known_setting(provider, key)) {
      out[key] = nullptr;  // back to the default (JSON merge patch)
    } else if (provider == "facebook_ads" && key == "ad_account_ids") {
      static const std::regex kAct(R"(^(act_)?[0-9]{1,20}$)");
      if (!value.is_array() || value.size() > 100) bad("settings.ad_account_ids must be an array of at most 100 ids.");
      json ids = json::array();
      for (const auto& id : value) {
        if (!id.is_string() || !std::regex_match(id.get<std::string>(), kAct)) {
          bad("settings.ad_account_ids holds Meta ad account ids like act_1234567890.");
        }
        const std::string s = id.get<std::string>();
        ids.push_back(s.starts_with("act_") ? s : "act_" + s);
      }
      out[key] = ids;
    } else if (provider == "facebook_ads" && key == "purchase_action_type") {
      static const std::regex kType(R"(^[a-z0-9_.]{1,100}$)");
      if (!value.is_string() || !std::regex_match(value.get<std::string>(), kType)) {
        bad("settings.purchase_action_type is a Meta action type such as omni_purchase or purchase.");
      }
      out[key] = value;
    } else if (provider == "facebook_ads" && key == "backfill_days") {
      out[key] = int_in(value, key, 1, 37 * 31);
    } else if (provider == "facebook_ads" && key == "restatement_days") {
      out[key] = int_in(value, key, 0, 90);
    } else if ((provider == "shopify" || provider == "woocommerce") && key == "backfill_days") {
      out[key] = int_in(value, key, 1, 3650);
    } else {
      bad(fmt::format("settings.{} is not a setting of this integration.", key));
    }
  }
  return out;
}

PatchRequest parse_patch(std::string_view body) {
  const json doc = parse_object(body);
  PatchRequest req;
  for (const auto& [key, value] : doc.items()) {
    if (key == "settings") {
      if (!value.is_object()) bad("'settings' must be an object.");
      req.settings = value;
    } else if (key == "sync_frequency_minutes") {
      const bool ok = value.is_number_integer() && std::find(std::begin(kFrequencies), std::end(kFrequencies),
                                                             value.get<std::int64_t>()) != std::end(kFrequencies);
      if (!ok) bad("'sync_frequency_minutes' must be one of 15, 30, 60, 180, 360, 720, 1440.");
      req.sync_frequency_minutes = value.get<int>();
    } else {
      bad(fmt::format("Unknown field '{}'. Allowed: settings, sync_frequency_minutes.", key));
    }
  }
  if (!req.settings && !req.sync_frequency_minutes) bad("Send settings and/or sync_frequency_minutes.");
  return req;
}

ConnectRequest parse_connect(std::string_view provider, std::string_view body) {
  const json doc = parse_object(body);
  ObjectReader r(doc);
  ConnectRequest req;
  if (provider == "shopify") {
    const std::string shop = r.required_string("shop", 300);
    req.shop = normalize_shop(shop);
    if (!req.shop) {
      throw Error(ErrorCode::unprocessable,
                  "Enter the shop's myshopify.com domain, e.g. my-store.myshopify.com (Shopify admin > Settings > "
                  "Domains).");
    }
  } else if (provider == "woocommerce") {
    const std::string url = lower(r.required_string("store_url", 500));
    req.consumer_key = r.required_string("consumer_key", 100);
    req.consumer_secret = r.required_string("consumer_secret", 100);
    std::string rest = url;
    if (!rest.starts_with("https://")) {
      throw Error(ErrorCode::unprocessable,
                  "The store URL must start with https:// (keys are sent with each request).");
    }
    rest.erase(0, 8);
    while (!rest.empty() && rest.back() == '/') rest.pop_back();
    const std::string host = rest.substr(0, rest.find('/'));
    if (host.find(':') != std::string::npos || host.find('@') != std::string::npos || !public_https_host(host)) {
      throw Error(ErrorCode::unprocessable,
                  "The store URL must be your store's public address, like https://shop.example.com.");
    }
    req.store_url = "https://" + rest;
    if (req.store_url->size() > 255) {
      throw Error(ErrorCode::unprocessable, "The store URL is longer than 255 characters; use the store's home page.");
    }
    static const std::regex kKey(R"(^ck_[0-9a-f]{40}$)");
    static const std::regex kSecret(R"(^cs_[0-9a-f]{40}$)");
    if (!std::regex_match(*req.consumer_key, kKey) || !std::regex_match(*req.consumer_secret, kSecret)) {
      throw Error(ErrorCode::unprocessable,
                  "Paste the consumer key (ck_...) and secret (cs_...) from WooCommerce > Settings > Advanced > REST "
                  "API, with Read access.");
    }
  }
  r.finish();
  return req;
}

}  // namespace otq::schemas::integrations
