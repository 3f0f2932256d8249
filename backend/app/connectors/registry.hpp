// Every provider the product knows, and the connectors that exist for them.
#pragma once

#include <memory>
#include <string_view>
#include <vector>

#include "app/connectors/connector.hpp"

namespace otq::connectors {

/// In the order the integrations page lists them.
const std::vector<ProviderInfo>& providers();
const ProviderInfo* find_provider(std::string_view id);

/// The connector of an available provider; nullptr when there is none yet.
std::unique_ptr<Connector> make_connector(std::string_view provider);

}  // namespace otq::connectors
