// The credential key ring.
#include "app/security/credential_cipher.hpp"

#include <fmt/format.h>

#include "app/security/jwt.hpp"

namespace otq::security {
namespace {

std::string trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  const auto last = s.find_last_not_of(" \t");
  return std::string(s.substr(first, last - first + 1));
}

bool valid_id(std::string_view id) {
  if (id.empty() || id.size() > 32) return false;
  for (const char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

std::optional<std::string> decode_key(std::string_view text) {
  if (text.size() == 64 && text.find_first_not_of("0123456789abcdefABCDEF") == std::string_view::npos) {
    std::string out;
    for (std::size_t i = 0; i < 64; i += 2) {
      out.push_back(static_cast<char>(std::stoi(std::string(text.substr(i, 2)), nullptr, 16)));
    }
    return out;
  }
  // base64 (standard or URL alphabet, padded or not) through the base64url decoder.
  std::string url;
  for (const char c : text) {
    if (c == '=') continue;
    url.push_back(c == '+' ? '-' : c == '/' ? '_' : c);
  }
  return base64url_decode(url);
}

}  // namespace

CredentialCipher CredentialCipher::parse(std::string_view spec) {
  std::vector<std::pair<std::string, Sealer>> keys;
  std::size_t start = 0;
  while (start <= spec.size()) {
    std::size_t comma = spec.find(',', start);
    if (comma == std::string_view::npos) comma = spec.size();
    const std::string item = trim(spec.substr(start, comma - start));
    start = comma + 1;
    if (item.empty()) continue;
    const auto colon = item.find(':');
    if (colon == std::string::npos) {
      throw std::invalid_argument("each entry must be id:key, e.g. k1:$(openssl rand -base64 32)");
    }
    const std::string id = item.substr(0, colon);
    if (!valid_id(id)) {
      throw std::invalid_argument(fmt::format("key id '{}' must be 1-32 characters of A-Z a-z 0-9 _ -", id));
    }
    const auto key = decode_key(item.substr(colon + 1));
    if (!key || key->size() != 32) {
      throw std::invalid_argument(
          fmt::format("key '{}' must be 32 bytes as base64 (openssl rand -base64 32) or 64 hex digits", id));
    }
    for (const auto& [other, sealer] : keys) {
      if (other == id) throw std::invalid_argument(fmt::format("key id '{}' appears twice", id));
    }
    keys.emplace_back(id, Sealer(*key));
  }
  if (keys.empty()) throw std::invalid_argument("no key given; set it to id:key, e.g. k1:$(openssl rand -base64 32)");
  return CredentialCipher(std::move(keys));
}

SealedCredential CredentialCipher::seal(std::string_view plaintext, std::string_view binding) const {
  return SealedCredential{keys_.front().first, keys_.front().second.seal_bytes(plaintext, binding)};
}

std::string CredentialCipher::open(const SealedCredential& sealed, std::string_view binding) const {
  for (const auto& [id, sealer] : keys_) {
    if (id != sealed.key_id) continue;
    auto plain = sealer.open_bytes(sealed.ciphertext, binding);
    if (!plain) {
      throw CredentialError(fmt::format(
          "credentials sealed under key '{}' failed authentication: wrong key for that id, or altered data", id));
    }
    return *plain;
  }
  throw CredentialError(
      fmt::format("credentials were sealed under key '{}', which TOKEN_ENCRYPTION_KEY does not list", sealed.key_id));
}

}  // namespace otq::security
