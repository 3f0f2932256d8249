// Provider money (decimal strings such as "14.35") to integer minor units, without floats.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace otq::connectors {

/// Digits after the decimal point of an ISO 4217 currency (JPY 0, USD 2, KWD 3). The same table
/// as the database's otq_currency_exponent.
int currency_exponent(std::string_view code);

/// Three capital letters, as ISO 4217 codes are and as the database's CHECKs demand.
bool is_currency_code(std::string_view code);

/// "14.35" with exponent 2 -> 1435; extra digits round half away from zero ("0.005" -> 1).
/// Accepts an optional leading '-'. nullopt for anything that is not a plain decimal number.
std::optional<std::int64_t> decimal_to_minor(std::string_view text, int exponent);

}  // namespace otq::connectors
