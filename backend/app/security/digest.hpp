// Message digests (SHA-256) for checksums, ETags and token hashes.
#pragma once

#include <string>
#include <string_view>

namespace otq::security {

/// Lower-case hex SHA-256 of `data`.
std::string sha256_hex(std::string_view data);

}  // namespace otq::security
