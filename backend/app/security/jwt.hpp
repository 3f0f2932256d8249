// Access tokens: JWT HS256 through libjwt, with the algorithm pinned and every claim checked by us
// (libjwt checks neither exp nor iss/aud).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace otq::security {

inline constexpr std::chrono::seconds kTokenLifetime{24 * 60 * 60};

struct TokenClaims {
  std::string sub;   ///< user public id
  std::string acc;   ///< account public id
  std::string role;  ///< owner | admin | analyst | viewer
  std::string jti;   ///< unique token id
  std::int64_t iat = 0;
  std::int64_t exp = 0;
};

/// Why a token was refused (for logs and tests; the client only ever sees "invalid token").
enum class TokenError {
  malformed,
  wrong_algorithm,
  bad_signature,
  expired,
  not_yet_valid,
  wrong_issuer,
  wrong_audience,
  missing_claim
};

std::string_view token_error_name(TokenError e);

class JwtCodec {
 public:
  /// `secret` must be at least 32 bytes (Config enforces it).
  JwtCodec(std::string secret, std::string issuer = "omnitrackiq", std::string audience = "omnitrackiq-api");

  /// A signed token for the claims' sub/acc/role; iat = now, exp = now + 24 h, a fresh jti.
  std::string issue(std::string_view sub, std::string_view acc, std::string_view role,
                    std::chrono::system_clock::time_point now) const;

  /// Verifies, in this order: three base64url parts, header alg exactly "HS256" (before any
  /// claim is read), HMAC signature, iss, aud, exp in the future, iat not in the future (60 s
  /// leeway for clock skew), and the presence of sub/acc/role/jti.
  struct Result {
    std::optional<TokenClaims> claims;
    std::optional<TokenError> error;
  };
  Result verify(std::string_view token, std::chrono::system_clock::time_point now) const;

 private:
  std::string secret_;
  std::string issuer_;
  std::string audience_;
};

/// base64url without padding (RFC 7515), and its inverse (nullopt on a bad character).
std::string base64url_encode(std::string_view data);
std::optional<std::string> base64url_decode(std::string_view text);

}  // namespace otq::security
