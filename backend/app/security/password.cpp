// bcrypt through libxcrypt's reentrant API; the 72-byte rule is explained in password.hpp.
#include "app/security/password.hpp"

#include <algorithm>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <unordered_set>

#include <crypt.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "app/embedded.hpp"
#include "app/security/random.hpp"

namespace otq::security {
namespace {

constexpr std::size_t kBcryptInputLimit = 72;

std::string bcrypt_input(std::string_view password) {
  if (password.size() <= kBcryptInputLimit) return std::string(password);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(password.data(), password.size(), digest, &len, EVP_sha256(), nullptr);
  std::string b64(4 * ((len + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(b64.data()), digest, static_cast<int>(len));
  b64.resize(static_cast<std::size_t>(n));
  return b64;
}

// crypt_rn needs a zeroed crypt_data of ~32 KiB: too big for a worker's stack comfort.
std::string run_crypt(const std::string& phrase, const char* setting) {
  auto data = std::make_unique<crypt_data>();
  std::memset(data.get(), 0, sizeof(crypt_data));
  const char* out = crypt_rn(phrase.c_str(), setting, data.get(), sizeof(crypt_data));
  if (out == nullptr || out[0] == '*') return {};
  return out;
}

const std::unordered_set<std::string_view>& common_password_set() {
  static const std::unordered_set<std::string_view> kSet = [] {
    std::unordered_set<std::string_view> set;
    std::string_view rest = embedded::common_passwords();
    while (!rest.empty()) {
      const auto nl = rest.find('\n');
      const std::string_view line = rest.substr(0, nl);
      if (!line.empty()) set.insert(line);
      rest = nl == std::string_view::npos ? std::string_view{} : rest.substr(nl + 1);
    }
    return set;
  }();
  return kSet;
}

}  // namespace

bool is_common_password(std::string_view password) {
  std::string lower(password);
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  return common_password_set().contains(lower);
}

std::string hash_password(std::string_view password, int cost) {
  if (cost < kMinBcryptCost || cost > kMaxBcryptCost) throw std::invalid_argument("bcrypt cost out of range");
  const std::string entropy = random_bytes(16);
  char setting[CRYPT_GENSALT_OUTPUT_SIZE];
  if (crypt_gensalt_rn("$2b$", static_cast<unsigned long>(cost), entropy.data(), static_cast<int>(entropy.size()),
                       setting, sizeof setting) == nullptr) {
    throw std::runtime_error("crypt_gensalt_rn failed");
  }
  std::string hash = run_crypt(bcrypt_input(password), setting);
  if (hash.empty()) throw std::runtime_error("crypt_rn failed");
  return hash;
}

bool verify_password(std::string_view password, std::string_view stored) {
  if (bcrypt_cost_of(stored) == 0) return false;
  const std::string setting(stored);
  const std::string fresh = run_crypt(bcrypt_input(password), setting.c_str());
  return fresh.size() == stored.size() && CRYPTO_memcmp(fresh.data(), stored.data(), stored.size()) == 0;
}

void verify_password_dummy(std::string_view password, int cost) {
  // A fixed, valid salt: the result is discarded, only the work matters.
  const std::string setting =
      "$2b$" + std::string(cost < 10 ? "0" : "") + std::to_string(cost) + "$abcdefghijklmnopqrstuu";
  (void)run_crypt(bcrypt_input(password), setting.c_str());
}

int bcrypt_cost_of(std::string_view stored) {
  // $2b$12$ + 53 characters of salt and hash.
  if (stored.size() != 60 || stored[0] != '$' || stored[1] != '2' || stored[3] != '$' || stored[6] != '$') return 0;
  if (stored[2] != 'a' && stored[2] != 'b' && stored[2] != 'y') return 0;
  if (!std::isdigit(static_cast<unsigned char>(stored[4])) || !std::isdigit(static_cast<unsigned char>(stored[5]))) {
    return 0;
  }
  return (stored[4] - '0') * 10 + (stored[5] - '0');
}

std::optional<std::string> password_problem(std::string_view password, std::string_view email) {
  if (password.size() < kMinPasswordLength) {
    return "Use a password of at least 10 characters.";
  }
  if (password.size() > kMaxPasswordBytes) {
    return "Use a password of at most 128 bytes.";
  }
  if (password.find('\0') != std::string_view::npos) {
    return "The password contains a NUL character.";
  }
  auto lower = [](std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
    return out;
  };
  const std::string p = lower(password);
  const std::string e = lower(email);
  const std::string local = e.substr(0, e.find('@'));
  if (p == e || p == local) {
    return "The password must not be your email address.";
  }
  if (is_common_password(password)) {
    return "This password is too common; choose one that is harder to guess.";
  }
  return std::nullopt;
}

}  // namespace otq::security
