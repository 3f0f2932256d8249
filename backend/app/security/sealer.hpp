// Authenticated encryption (AES-256-GCM) of small values: opaque pagination cursors now,
// provider credentials at rest later.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace otq::security {

class Sealer {
 public:
  /// `key` must be exactly 32 bytes.
  explicit Sealer(std::string key);

  /// A key derived for one purpose from a master secret: HMAC-SHA256(secret, purpose).
  static Sealer derive(std::string_view secret, std::string_view purpose);

  /// A random key: sealed values do not survive the process (tests, single-use contexts).
  static Sealer with_random_key();

  /// base64url(nonce[12] | ciphertext | tag[16]); a fresh nonce each call.
  std::string seal(std::string_view plaintext) const;

  /// The plaintext, or nullopt when the value was not sealed with this key or was altered.
  std::optional<std::string> open(std::string_view sealed) const;

  /// Raw nonce[12] | ciphertext | tag[16], authenticating `aad` too (bind a value to its owner:
  /// a ciphertext moved to another row with another `aad` no longer opens).
  std::string seal_bytes(std::string_view plaintext, std::string_view aad) const;
  std::optional<std::string> open_bytes(std::string_view sealed, std::string_view aad) const;

 private:
  std::string key_;
};

}  // namespace otq::security
