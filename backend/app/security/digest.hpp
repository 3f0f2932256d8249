// Message digests (SHA-256, HMAC-SHA256) for checksums, ETags, token hashes and signatures.
#pragma once

#include <string>
#include <string_view>

namespace otq::security {

/// Lower-case hex SHA-256 of `data`.
std::string sha256_hex(std::string_view data);

/// Raw 32-byte SHA-256 of `data`.
std::string sha256(std::string_view data);

/// Raw 32-byte HMAC-SHA256 of `data` under `key`.
std::string hmac_sha256(std::string_view key, std::string_view data);

/// Lower-case hex of arbitrary bytes.
std::string to_hex(std::string_view bytes);

/// Standard base64 with padding (RFC 4648 section 4), as Shopify's webhook signatures use.
std::string base64_encode(std::string_view data);

/// Compares in time that depends only on the lengths, never on where the first difference is.
bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace otq::security
