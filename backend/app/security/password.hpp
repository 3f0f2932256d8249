// Password hashing (bcrypt $2b$ via libxcrypt) and the password policy.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace otq::security {

inline constexpr int kMinBcryptCost = 10;
inline constexpr int kMaxBcryptCost = 15;
inline constexpr std::size_t kMinPasswordLength = 10;
inline constexpr std::size_t kMaxPasswordBytes = 128;

/// bcrypt hash, "$2b$<cost>$...". Passwords longer than bcrypt's 72-byte input limit are first
/// reduced to base64(SHA-256(password)) so that no byte is silently ignored; passwords of 72 bytes
/// or fewer go to bcrypt unchanged, which keeps hashes interoperable with other bcrypt libraries.
/// Slow by design (~170 ms at cost 12): call it from a worker thread, never an I/O thread.
std::string hash_password(std::string_view password, int cost);

/// Constant-time comparison of a fresh hash against `stored` ($2a$, $2b$ or $2y$). False for a
/// malformed stored hash.
bool verify_password(std::string_view password, std::string_view stored);

/// Burns the same time as verify_password does for a real user, so an unknown email and a wrong
/// password cannot be told apart by timing.
void verify_password_dummy(std::string_view password, int cost);

/// The cost a stored hash was made with, or 0 when it is not a bcrypt hash.
int bcrypt_cost_of(std::string_view stored);

/// Why `password` is not acceptable for an account with `email`, or nullopt when it is.
/// Rules: 10 to 128 bytes, no NUL byte, not the email (or its local part), not a common password.
std::optional<std::string> password_problem(std::string_view password, std::string_view email);

/// True when `password` (case-insensitively) is in the bundled list of common passwords.
bool is_common_password(std::string_view password);

}  // namespace otq::security
