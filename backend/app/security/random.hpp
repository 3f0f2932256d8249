// Cryptographically secure random bytes, tokens and opaque public ids.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace otq::security {

/// `n` bytes from OpenSSL's CSPRNG. Aborts if the CSPRNG fails (nothing safe can continue).
std::string random_bytes(std::size_t n);

/// Lower-case hex of `n` random bytes.
std::string random_hex(std::size_t n);

/// `n` characters drawn uniformly from [0-9A-Za-z] (5.95 bits each).
std::string random_base62(std::size_t n);

/// An opaque public id: `prefix` + "_" + 22 base62 characters (~131 bits), e.g. "acct_4fJ9...".
/// Database bigint keys never leave the server; these do.
std::string new_public_id(std::string_view prefix);

/// True when `id` has the shape new_public_id(prefix) produces.
bool is_public_id(std::string_view id, std::string_view prefix);

}  // namespace otq::security
