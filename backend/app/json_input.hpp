// JSON from outside the process (request bodies, webhooks, provider responses), parsed with a
// bound on nesting: nlohmann copies and destroys documents recursively, so a body of 100,000
// nested arrays (200 KB) would overflow a thread's stack wherever the document is copied.
#pragma once

#include <string_view>

#include <nlohmann/json.hpp>

namespace otq {

/// Deeper than any document we accept or any provider sends (Shopify orders nest about 6 levels).
inline constexpr int kMaxJsonDepth = 64;

/// The document, or a `discarded` value when `text` is not JSON, holds a number beyond a double,
/// or nests deeper than `max_depth`. Never throws.
nlohmann::json parse_untrusted_json(std::string_view text, int max_depth = kMaxJsonDepth);

/// True when parse_untrusted_json refused `text` only for its depth (for a precise message).
bool nests_deeper_than(std::string_view text, int max_depth = kMaxJsonDepth);

}  // namespace otq
