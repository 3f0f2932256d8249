// Reads a JSON request object field by field and rejects fields nobody asked for (no mass assignment).
#pragma once

#include <optional>
#include <set>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace otq::schemas {

/// Every accessor throws Error{invalid_argument} naming the field when it is missing or of the
/// wrong type or length. finish() throws when the body holds a field that was never read.
class ObjectReader {
 public:
  explicit ObjectReader(const nlohmann::json& object);

  std::string required_string(std::string_view field, std::size_t max_length);
  std::optional<std::string> optional_string(std::string_view field, std::size_t max_length);
  /// A name people read (an account, a key): spaces around it trimmed; blank is refused.
  std::string required_name(std::string_view field, std::size_t max_length);
  std::optional<std::string> optional_name(std::string_view field, std::size_t max_length);

  /// Call after reading every known field.
  void finish() const;

 private:
  const nlohmann::json& object_;
  std::set<std::string, std::less<>> read_;
};

/// Trimmed, with a valid shape (local@domain.tld, no spaces, at most 320 bytes); throws otherwise.
std::string parse_email(std::string_view field, const std::string& raw);

}  // namespace otq::schemas
