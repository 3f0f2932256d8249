// The one clock: injectable so tests can move time (token expiry) without sleeping.
#pragma once

#include <chrono>
#include <functional>

namespace otq {

using Clock = std::function<std::chrono::system_clock::time_point()>;

inline Clock system_clock() {
  return [] { return std::chrono::system_clock::now(); };
}

}  // namespace otq
