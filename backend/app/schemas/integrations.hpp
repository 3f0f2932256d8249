// Request shapes of /api/v1/integrations/*: settings per provider, connect bodies, shop domains.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace otq::schemas::integrations {

inline constexpr int kFrequencies[] = {15, 30, 60, 180, 360, 720, 1440};

struct PatchRequest {
  std::optional<nlohmann::json> settings;  ///< checked against the provider's settings
  std::optional<int> sync_frequency_minutes;
};
/// Throws Error{invalid_argument} naming the field.
PatchRequest parse_patch(std::string_view body);

/// The provider's settings object, checked key by key (unknown keys are refused).
nlohmann::json check_settings(std::string_view provider, const nlohmann::json& settings);

struct ConnectRequest {
  std::optional<std::string> shop;       ///< Shopify: normalised *.myshopify.com domain
  std::optional<std::string> store_url;  ///< WooCommerce: https URL
  std::optional<std::string> consumer_key;
  std::optional<std::string> consumer_secret;
};
/// Per provider: Meta takes {}, Shopify {"shop"}, WooCommerce {"store_url", "consumer_key",
/// "consumer_secret"}. A shop that is not a *.myshopify.com domain, or a store URL that is not a
/// public https address, is unprocessable (422): nothing is ever requested from it.
ConnectRequest parse_connect(std::string_view provider, std::string_view body);

/// "My-Store.myshopify.com", "https://my-store.myshopify.com/" -> "my-store.myshopify.com";
/// nullopt for anything else.
std::optional<std::string> normalize_shop(std::string_view shop);

}  // namespace otq::schemas::integrations
