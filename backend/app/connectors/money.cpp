// Decimal text to minor units by integer arithmetic.
#include "app/connectors/money.hpp"

#include <algorithm>
#include <array>
#include <limits>

namespace otq::connectors {

int currency_exponent(std::string_view code) {
  static constexpr std::array<std::string_view, 17> kZero{"BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG",
                                                          "RWF", "UGX", "UYI", "VND", "VUV", "XAF", "XOF", "XPF"};
  static constexpr std::array<std::string_view, 7> kThree{"BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"};
  for (auto c : kZero) {
    if (c == code) return 0;
  }
  for (auto c : kThree) {
    if (c == code) return 3;
  }
  if (code == "CLF" || code == "UYW") return 4;
  return 2;
}

std::optional<std::int64_t> decimal_to_minor(std::string_view text, int exponent) {
  bool negative = false;
  if (!text.empty() && (text.front() == '-' || text.front() == '+')) {
    negative = text.front() == '-';
    text.remove_prefix(1);
  }
  if (text.empty()) return std::nullopt;
  constexpr std::int64_t kLimit = std::numeric_limits<std::int64_t>::max() / 100;
  std::int64_t value = 0;
  int decimals = -1;  // -1: before the point
  bool round_up = false;
  bool any_digit = false;
  for (const char c : text) {
    if (c == '.') {
      if (decimals >= 0) return std::nullopt;
      decimals = 0;
      continue;
    }
    if (c < '0' || c > '9') return std::nullopt;
    any_digit = true;
    if (decimals >= exponent) {
      if (decimals == exponent) round_up = c >= '5';  // only the first dropped digit decides
      ++decimals;
      continue;
    }
    if (value > kLimit) return std::nullopt;
    value = value * 10 + (c - '0');
    if (decimals >= 0) ++decimals;
  }
  if (!any_digit) return std::nullopt;
  for (int d = decimals < 0 ? 0 : std::min(decimals, exponent); d < exponent; ++d) {
    if (value > kLimit) return std::nullopt;
    value *= 10;
  }
  if (round_up) ++value;
  return negative ? -value : value;
}

bool is_currency_code(std::string_view code) {
  return code.size() == 3 && std::all_of(code.begin(), code.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

}  // namespace otq::connectors
