// Provider credentials at rest: AES-256-GCM under a ring of named keys, so keys can rotate.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "app/security/sealer.hpp"

namespace otq::security {

/// A credential could not be opened: its key id is not configured, or the ciphertext or its
/// binding was altered, or the key under that id is not the one it was sealed with. Never
/// "garbage out": AES-GCM's tag check fails first.
class CredentialError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct SealedCredential {
  std::string key_id;
  std::string ciphertext;  ///< nonce[12] | ciphertext | tag[16]
};

class CredentialCipher {
 public:
  /// `spec` is TOKEN_ENCRYPTION_KEY: "id:key[,id:key...]", the first key encrypts, all decrypt.
  /// A key is 32 bytes as 64 hex digits or as base64 (`openssl rand -base64 32`); an id is 1-32
  /// characters of [A-Za-z0-9_-]. Throws std::invalid_argument with a message naming the problem.
  static CredentialCipher parse(std::string_view spec);

  /// Seals under the active key. `binding` (e.g. account and integration ids) is authenticated
  /// too, so a ciphertext copied to another row does not open there.
  SealedCredential seal(std::string_view plaintext, std::string_view binding) const;

  /// Throws CredentialError (see above).
  std::string open(const SealedCredential& sealed, std::string_view binding) const;

  const std::string& active_key_id() const { return keys_.front().first; }

 private:
  explicit CredentialCipher(std::vector<std::pair<std::string, Sealer>> keys) : keys_(std::move(keys)) {}
  std::vector<std::pair<std::string, Sealer>> keys_;
};

}  // namespace otq::security
