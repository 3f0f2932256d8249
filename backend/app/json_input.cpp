#include "app/json_input.hpp"

namespace otq {
namespace {

struct TooDeep {};

nlohmann::json parse_bounded(std::string_view text, int max_depth, bool& too_deep) {
  too_deep = false;
  try {
    return nlohmann::json::parse(
        text,
        [max_depth](int depth, nlohmann::json::parse_event_t, nlohmann::json&) {
          if (depth >= max_depth) throw TooDeep{};  // depth counts from 0 at the outermost value
          return true;
        },
        true);
  } catch (const TooDeep&) {
    too_deep = true;
  } catch (const nlohmann::json::exception&) {
  }
  return nlohmann::json(nlohmann::json::value_t::discarded);
}

}  // namespace

nlohmann::json parse_untrusted_json(std::string_view text, int max_depth) {
  bool too_deep = false;
  return parse_bounded(text, max_depth, too_deep);
}

bool nests_deeper_than(std::string_view text, int max_depth) {
  bool too_deep = false;
  parse_bounded(text, max_depth, too_deep);
  return too_deep;
}

}  // namespace otq
