// JwtCodec over libjwt 1.10. The header is inspected by us before libjwt sees the token, so a
// token whose header says anything but HS256 never reaches signature code.
#include "app/security/jwt.hpp"

#include <algorithm>
#include <cstdlib>
#include <memory>

#include <jwt.h>
#include <nlohmann/json.hpp>

#include "app/json_input.hpp"
#include "app/security/random.hpp"

namespace otq::security {
namespace {

struct JwtFree {
  void operator()(jwt_t* j) const { jwt_free(j); }
};
using JwtPtr = std::unique_ptr<jwt_t, JwtFree>;

struct CharFree {
  void operator()(char* p) const { std::free(p); }  // libjwt 1.10 returns malloc'd strings
};

constexpr std::int64_t kLeewaySeconds = 60;

std::int64_t seconds_since_epoch(std::chrono::system_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

}  // namespace

std::string_view token_error_name(TokenError e) {
  switch (e) {
    case TokenError::malformed: return "malformed";
    case TokenError::wrong_algorithm: return "wrong_algorithm";
    case TokenError::bad_signature: return "bad_signature";
    case TokenError::expired: return "expired";
    case TokenError::not_yet_valid: return "not_yet_valid";
    case TokenError::wrong_issuer: return "wrong_issuer";
    case TokenError::wrong_audience: return "wrong_audience";
    case TokenError::missing_claim: return "missing_claim";
  }
  return "malformed";
}

std::string base64url_encode(std::string_view data) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < data.size(); i += 3) {
    const unsigned v = (static_cast<unsigned char>(data[i]) << 16) | (static_cast<unsigned char>(data[i + 1]) << 8) |
                       static_cast<unsigned char>(data[i + 2]);
    out += {kAlphabet[v >> 18], kAlphabet[(v >> 12) & 63], kAlphabet[(v >> 6) & 63], kAlphabet[v & 63]};
  }
  if (i + 1 == data.size()) {
    const unsigned v = static_cast<unsigned char>(data[i]) << 16;
    out += {kAlphabet[v >> 18], kAlphabet[(v >> 12) & 63]};
  } else if (i + 2 == data.size()) {
    const unsigned v = (static_cast<unsigned char>(data[i]) << 16) | (static_cast<unsigned char>(data[i + 1]) << 8);
    out += {kAlphabet[v >> 18], kAlphabet[(v >> 12) & 63], kAlphabet[(v >> 6) & 63]};
  }
  return out;
}

std::optional<std::string> base64url_decode(std::string_view text) {
  auto value = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '-') return 62;
    if (c == '_') return 63;
    return -1;
  };
  if (text.size() % 4 == 1) return std::nullopt;
  std::string out;
  unsigned buffer = 0;
  int bits = 0;
  for (char c : text) {
    const int v = value(c);
    if (v < 0) return std::nullopt;
    buffer = (buffer << 6) | static_cast<unsigned>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((buffer >> bits) & 0xff));
    }
  }
  return out;
}

JwtCodec::JwtCodec(std::string secret, std::string issuer, std::string audience)
    : secret_(std::move(secret)), issuer_(std::move(issuer)), audience_(std::move(audience)) {}

std::string JwtCodec::issue(std::string_view sub, std::string_view acc, std::string_view role,
                            std::chrono::system_clock::time_point now) const {
  jwt_t* raw = nullptr;
  if (jwt_new(&raw) != 0) throw std::bad_alloc();
  JwtPtr jwt(raw);
  const std::int64_t iat = seconds_since_epoch(now);
  const nlohmann::json claims{
      {"sub", sub},     {"acc", acc},       {"role", role}, {"jti", random_hex(16)},
      {"iss", issuer_}, {"aud", audience_}, {"iat", iat},   {"exp", iat + kTokenLifetime.count()}};
  if (jwt_add_grants_json(jwt.get(), claims.dump().c_str()) != 0 ||
      jwt_set_alg(jwt.get(), JWT_ALG_HS256, reinterpret_cast<const unsigned char*>(secret_.data()),
                  static_cast<int>(secret_.size())) != 0) {
    throw std::runtime_error("jwt: cannot build token");
  }
  std::unique_ptr<char, CharFree> encoded(jwt_encode_str(jwt.get()));
  if (!encoded) throw std::runtime_error("jwt: cannot encode token");
  return encoded.get();
}

JwtCodec::Result JwtCodec::verify(std::string_view token, std::chrono::system_clock::time_point now) const {
  auto fail = [](TokenError e) { return Result{std::nullopt, e}; };
  if (token.size() > 4096) return fail(TokenError::malformed);
  const auto dot1 = token.find('.');
  const auto dot2 = dot1 == std::string_view::npos ? dot1 : token.find('.', dot1 + 1);
  if (dot1 == std::string_view::npos || dot2 == std::string_view::npos ||
      token.find('.', dot2 + 1) != std::string_view::npos || dot2 + 1 == token.size()) {
    return fail(TokenError::malformed);
  }
  // Pin the algorithm before anything else looks at the token.
  const auto header_text = base64url_decode(token.substr(0, dot1));
  if (!header_text) return fail(TokenError::malformed);
  const auto header = parse_untrusted_json(*header_text);
  if (header.is_discarded() || !header.is_object()) return fail(TokenError::malformed);
  if (!header.contains("alg") || header["alg"] != "HS256") return fail(TokenError::wrong_algorithm);
  if (header.contains("typ") && header["typ"] != "JWT") return fail(TokenError::malformed);
  if (header.contains("crit") || header.contains("jku") || header.contains("jwk") || header.contains("x5u")) {
    return fail(TokenError::malformed);
  }

  jwt_t* raw = nullptr;
  const std::string token_string(token);
  if (jwt_decode(&raw, token_string.c_str(), reinterpret_cast<const unsigned char*>(secret_.data()),
                 static_cast<int>(secret_.size())) != 0) {
    if (raw != nullptr) jwt_free(raw);
    return fail(TokenError::bad_signature);
  }
  JwtPtr jwt(raw);
  if (jwt_get_alg(jwt.get()) != JWT_ALG_HS256) return fail(TokenError::wrong_algorithm);

  std::unique_ptr<char, CharFree> grants_text(jwt_get_grants_json(jwt.get(), nullptr));
  if (!grants_text) return fail(TokenError::malformed);
  const auto grants = parse_untrusted_json(grants_text.get());
  if (grants.is_discarded() || !grants.is_object()) return fail(TokenError::malformed);

  if (!grants.contains("iss") || grants["iss"] != issuer_) return fail(TokenError::wrong_issuer);
  const auto& aud = grants.contains("aud") ? grants["aud"] : nlohmann::json();
  const bool aud_ok = (aud.is_string() && aud == audience_) ||
                      (aud.is_array() && std::find(aud.begin(), aud.end(), audience_) != aud.end());
  if (!aud_ok) return fail(TokenError::wrong_audience);
  if (!grants.contains("exp") || !grants["exp"].is_number_integer()) return fail(TokenError::missing_claim);
  if (!grants.contains("iat") || !grants["iat"].is_number_integer()) return fail(TokenError::missing_claim);
  const std::int64_t t = seconds_since_epoch(now);
  TokenClaims c;
  c.exp = grants["exp"].get<std::int64_t>();
  c.iat = grants["iat"].get<std::int64_t>();
  if (c.exp <= t) return fail(TokenError::expired);
  if (c.iat > t + kLeewaySeconds) return fail(TokenError::not_yet_valid);
  for (const char* name : {"sub", "acc", "role", "jti"}) {
    if (!grants.contains(name) || !grants[name].is_string() || grants[name].get<std::string>().empty()) {
      return fail(TokenError::missing_claim);
    }
  }
  c.sub = grants["sub"];
  c.acc = grants["acc"];
  c.role = grants["role"];
  c.jti = grants["jti"];
  return Result{std::move(c), std::nullopt};
}

}  // namespace otq::security
