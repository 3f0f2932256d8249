// Reads a Prometheus text exposition strictly enough to catch a malformed one: every line is a
// comment (# HELP / # TYPE, once per family, before its samples) or `series value`.
#pragma once

#include <charconv>
#include <limits>
#include <map>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>

namespace otq::testing {

/// Series text (`name{labels}`, as written) → value. Throws std::runtime_error naming the bad line.
inline std::map<std::string, double> parse_exposition(const std::string& text) {
  std::map<std::string, double> out;
  std::set<std::string> typed;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (line.empty()) throw std::runtime_error("empty line in the exposition");
    if (line.starts_with("# HELP ")) continue;
    if (line.starts_with("# TYPE ")) {
      const std::string name = line.substr(7, line.find(' ', 7) - 7);
      if (!typed.insert(name).second) throw std::runtime_error("TYPE given twice: " + line);
      continue;
    }
    if (line.starts_with("#")) throw std::runtime_error("unexpected comment: " + line);
    const auto space = line.rfind(' ');
    if (space == std::string::npos) throw std::runtime_error("no value: " + line);
    const std::string series = line.substr(0, space);
    const std::string value = line.substr(space + 1);
    double v = 0;
    if (value == "+Inf") {
      v = std::numeric_limits<double>::infinity();
    } else {
      auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), v);
      if (ec != std::errc{} || ptr != value.data() + value.size()) throw std::runtime_error("bad value: " + line);
    }
    const std::string name = series.substr(0, series.find('{'));
    std::string family = name;
    for (std::string_view suffix : {"_bucket", "_sum", "_count"}) {
      if (!typed.contains(family) && family.ends_with(suffix)) family = name.substr(0, name.size() - suffix.size());
    }
    if (!typed.contains(family)) throw std::runtime_error("sample before its TYPE: " + line);
    if (!out.emplace(series, v).second) throw std::runtime_error("series given twice: " + line);
  }
  return out;
}

/// The value of `series`, or -1 when the exposition lacks it.
inline double series_value(const std::map<std::string, double>& m, const std::string& series) {
  auto it = m.find(series);
  return it == m.end() ? -1 : it->second;
}

}  // namespace otq::testing
