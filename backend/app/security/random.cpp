// OpenSSL RAND_bytes wrappers.
#include "app/security/random.hpp"

#include <cstdlib>

#include <openssl/rand.h>

namespace otq::security {
namespace {
constexpr std::string_view kBase62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
constexpr std::size_t kPublicIdChars = 22;
}  // namespace

std::string random_bytes(std::size_t n) {
  std::string out(n, '\0');
  if (n > 0 && RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(n)) != 1) {
    std::abort();  // a failing CSPRNG is a broken invariant: never fall back to weak randomness
  }
  return out;
}

std::string random_hex(std::size_t n) {
  static constexpr char kHex[] = "0123456789abcdef";
  const std::string bytes = random_bytes(n);
  std::string out;
  out.reserve(n * 2);
  for (unsigned char b : bytes) {
    out.push_back(kHex[b >> 4]);
    out.push_back(kHex[b & 0x0f]);
  }
  return out;
}

std::string random_base62(std::size_t n) {
  std::string out;
  out.reserve(n);
  // Rejection sampling keeps every character uniformly distributed (248 = 4 * 62).
  while (out.size() < n) {
    for (unsigned char b : random_bytes(n + 16)) {
      if (b < 248 && out.size() < n) out.push_back(kBase62[b % 62]);
    }
  }
  return out;
}

std::string new_public_id(std::string_view prefix) {
  return std::string(prefix) + "_" + random_base62(kPublicIdChars);
}

bool is_public_id(std::string_view id, std::string_view prefix) {
  if (id.size() != prefix.size() + 1 + kPublicIdChars || !id.starts_with(prefix) || id[prefix.size()] != '_') {
    return false;
  }
  for (char c : id.substr(prefix.size() + 1)) {
    if (kBase62.find(c) == std::string_view::npos) return false;
  }
  return true;
}

}  // namespace otq::security
