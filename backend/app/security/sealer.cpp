// AES-256-GCM through OpenSSL's EVP interface.
#include "app/security/sealer.hpp"

#include <memory>
#include <stdexcept>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "app/security/jwt.hpp"
#include "app/security/random.hpp"

namespace otq::security {
namespace {

constexpr int kNonceBytes = 12;
constexpr int kTagBytes = 16;

struct CtxFree {
  void operator()(EVP_CIPHER_CTX* c) const { EVP_CIPHER_CTX_free(c); }
};
using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, CtxFree>;

const unsigned char* bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}
unsigned char* bytes(std::string& s) {
  return reinterpret_cast<unsigned char*>(s.data());
}

}  // namespace

Sealer::Sealer(std::string key) : key_(std::move(key)) {
  if (key_.size() != 32) throw std::invalid_argument("Sealer key must be 32 bytes");
}

Sealer Sealer::derive(std::string_view secret, std::string_view purpose) {
  std::string key(32, '\0');
  unsigned int len = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()), bytes(purpose), purpose.size(), bytes(key), &len);
  return Sealer(std::move(key));
}

Sealer Sealer::with_random_key() {
  return Sealer(random_bytes(32));
}

std::string Sealer::seal(std::string_view plaintext) const {
  return base64url_encode(seal_bytes(plaintext, {}));
}

std::optional<std::string> Sealer::open(std::string_view sealed) const {
  const auto raw = base64url_decode(sealed);
  if (!raw) return std::nullopt;
  return open_bytes(*raw, {});
}

std::string Sealer::seal_bytes(std::string_view plaintext, std::string_view aad) const {
  const std::string nonce = random_bytes(kNonceBytes);
  std::string out(kNonceBytes + plaintext.size() + kTagBytes, '\0');
  out.replace(0, kNonceBytes, nonce);
  CipherCtx ctx(EVP_CIPHER_CTX_new());
  int len = 0;
  if (!ctx || EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, bytes(key_), bytes(nonce)) != 1 ||
      (!aad.empty() && EVP_EncryptUpdate(ctx.get(), nullptr, &len, bytes(aad), static_cast<int>(aad.size())) != 1) ||
      EVP_EncryptUpdate(ctx.get(), bytes(out) + kNonceBytes, &len, bytes(plaintext),
                        static_cast<int>(plaintext.size())) != 1 ||
      EVP_EncryptFinal_ex(ctx.get(), bytes(out) + kNonceBytes + len, &len) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kTagBytes, bytes(out) + kNonceBytes + plaintext.size()) !=
          1) {
    throw std::runtime_error("AES-GCM encryption failed");
  }
  return out;
}

std::optional<std::string> Sealer::open_bytes(std::string_view raw, std::string_view aad) const {
  if (raw.size() < static_cast<std::size_t>(kNonceBytes + kTagBytes)) return std::nullopt;
  const std::size_t n = raw.size() - kNonceBytes - kTagBytes;
  std::string plain(n, '\0');
  std::string tag(raw.substr(kNonceBytes + n));
  CipherCtx ctx(EVP_CIPHER_CTX_new());
  int len = 0;
  if (!ctx || EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, bytes(key_), bytes(raw)) != 1 ||
      (!aad.empty() && EVP_DecryptUpdate(ctx.get(), nullptr, &len, bytes(aad), static_cast<int>(aad.size())) != 1) ||
      EVP_DecryptUpdate(ctx.get(), bytes(plain), &len, bytes(raw) + kNonceBytes, static_cast<int>(n)) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kTagBytes, bytes(tag)) != 1 ||
      EVP_DecryptFinal_ex(ctx.get(), bytes(plain) + len, &len) != 1) {
    return std::nullopt;
  }
  return plain;
}

}  // namespace otq::security
