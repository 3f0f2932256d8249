// The one clock: injectable so tests can move time (token expiry) without sleeping.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>

namespace otq {

using Clock = std::function<std::chrono::system_clock::time_point()>;

inline Clock system_clock() {
  return [] { return std::chrono::system_clock::now(); };
}

/// Seconds since the Unix epoch now (OAuth state expiry, Stripe timestamps).
inline std::int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace otq
