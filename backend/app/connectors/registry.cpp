// The provider catalogue. Adding Google Ads: a connectors/google_ads/ folder, its line here set to
// connectable and syncing, and a branch in make_connector. `syncs` must agree with make_connector
// (a test checks it).
#include "app/connectors/registry.hpp"

#include "app/connectors/meta/meta_connector.hpp"
#include "app/connectors/shopify/shopify_connector.hpp"

namespace otq::connectors {

const std::vector<ProviderInfo>& providers() {
  static const std::vector<ProviderInfo> kProviders{
      {"facebook_ads", "Meta Ads", "ads", AuthKind::oauth, true, true, {"insights"}},
      {"shopify", "Shopify", "store", AuthKind::oauth, true, true, {"orders"}},
      {"google_ads", "Google Ads", "ads", AuthKind::oauth, false, false, {"campaign_metrics"}},
      {"tiktok_ads", "TikTok Ads", "ads", AuthKind::oauth, false, false, {"reports"}},
      {"ga4", "Google Analytics 4", "analytics", AuthKind::oauth, false, false, {"reports"}},
      {"woocommerce", "WooCommerce", "store", AuthKind::api_key, true, false, {"orders"}},
  };
  return kProviders;
}

const ProviderInfo* find_provider(std::string_view id) {
  for (const auto& p : providers()) {
    if (p.id == id) return &p;
  }
  return nullptr;
}

std::unique_ptr<Connector> make_connector(std::string_view provider) {
  if (provider == "facebook_ads") return std::make_unique<meta::MetaConnector>();
  if (provider == "shopify") return std::make_unique<shopify::ShopifyConnector>();
  return nullptr;
}

}  // namespace otq::connectors
