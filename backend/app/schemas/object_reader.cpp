// ObjectReader: field access with clear, actionable errors.
#include "app/schemas/object_reader.hpp"

#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "app/errors.hpp"

namespace otq::schemas {

ObjectReader::ObjectReader(const nlohmann::json& object) : object_(object) {}

std::optional<std::string> ObjectReader::optional_string(std::string_view field, std::size_t max_length) {
  read_.insert(std::string(field));
  const auto it = object_.find(field);
  if (it == object_.end() || it->is_null()) return std::nullopt;
  if (!it->is_string()) {
    throw Error(ErrorCode::invalid_argument, fmt::format("Field '{}' must be a string.", field));
  }
  std::string value = it->get<std::string>();
  if (value.size() > max_length) {
    throw Error(ErrorCode::invalid_argument, fmt::format("Field '{}' is longer than {} bytes.", field, max_length));
  }
  return value;
}

std::string ObjectReader::required_string(std::string_view field, std::size_t max_length) {
  auto value = optional_string(field, max_length);
  if (!value || value->empty()) {
    throw Error(ErrorCode::invalid_argument, fmt::format("Field '{}' is required.", field));
  }
  return *value;
}

std::optional<std::string> ObjectReader::optional_name(std::string_view field, std::size_t max_length) {
  auto value = optional_string(field, max_length);
  if (!value) return value;
  const auto first = value->find_first_not_of(" \t\r\n");
  if (first == std::string::npos) {
    throw Error(ErrorCode::invalid_argument, fmt::format("Field '{}' must not be blank.", field));
  }
  const auto last = value->find_last_not_of(" \t\r\n");
  return value->substr(first, last - first + 1);
}

std::string ObjectReader::required_name(std::string_view field, std::size_t max_length) {
  auto value = optional_name(field, max_length);
  if (!value) throw Error(ErrorCode::invalid_argument, fmt::format("Field '{}' is required.", field));
  return *value;
}

void ObjectReader::finish() const {
  std::vector<std::string> unknown;
  for (const auto& [key, _] : object_.items()) {
    if (!read_.contains(key)) unknown.push_back(key);
  }
  if (!unknown.empty()) {
    throw Error(ErrorCode::invalid_argument,
                fmt::format("Unknown field(s): {}. Allowed: {}.", fmt::join(unknown, ", "), fmt::join(read_, ", ")));
  }
}

std::string parse_email(std::string_view field, const std::string& raw) {
  const auto first = raw.find_first_not_of(" \t");
  const auto last = raw.find_last_not_of(" \t");
  const std::string email = first == std::string::npos ? "" : raw.substr(first, last - first + 1);
  const auto at = email.find('@');
  const bool shape_ok = email.size() >= 3 && email.size() <= 320 && at != std::string::npos && at > 0 &&
                        email.find('@', at + 1) == std::string::npos && email.find('.', at + 2) != std::string::npos &&
                        email.back() != '.' &&
                        std::none_of(email.begin(), email.end(), [](unsigned char c) { return c <= ' ' || c == 0x7f; });
  if (!shape_ok) {
    throw Error(ErrorCode::invalid_argument,
                fmt::format("Field '{}' must be an email address like ann@example.com.", field));
  }
  return email;
}

}  // namespace otq::schemas
