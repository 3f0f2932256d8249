// Linear segment matching: the route table is small (tens of routes) and matching costs < 1 µs.
#include "app/http/router.hpp"

#include <algorithm>
#include <cstdlib>

namespace otq::http {
namespace {

std::vector<std::string_view> segments(std::string_view path) {
  std::vector<std::string_view> out;
  std::size_t start = 1;  // skip the leading '/'
  while (start <= path.size()) {
    std::size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) slash = path.size();
    out.push_back(path.substr(start, slash - start));
    start = slash + 1;
  }
  return out;
}

bool match_pattern(std::string_view pattern, std::string_view path,
                   std::map<std::string, std::string, std::less<>>& params) {
  const auto want = segments(pattern);
  const auto got = segments(path);
  if (want.size() != got.size()) return false;
  std::map<std::string, std::string, std::less<>> found;
  for (std::size_t i = 0; i < want.size(); ++i) {
    const auto w = want[i];
    if (w.size() > 2 && w.front() == '{' && w.back() == '}') {
      auto decoded = percent_decode(got[i]);
      if (got[i].empty() || !decoded || decoded->empty()) return false;
      found.emplace(std::string(w.substr(1, w.size() - 2)), std::move(*decoded));
    } else if (w != got[i]) {
      return false;
    }
  }
  params = std::move(found);
  return true;
}

}  // namespace

void Router::add(Route route) {
  for (const auto& r : routes_) {
    if (r.method == route.method && r.pattern == route.pattern) std::abort();
  }
  routes_.push_back(std::move(route));
}

Router::Match Router::match(Method method, std::string_view path) const {
  Match m;
  const Method wanted = method == Method::head ? Method::get : method;
  for (const auto& route : routes_) {
    std::map<std::string, std::string, std::less<>> params;
    if (!match_pattern(route.pattern, path, params)) continue;
    if (std::find(m.allowed.begin(), m.allowed.end(), route.method) == m.allowed.end()) {
      m.allowed.push_back(route.method);
    }
    if (route.method == wanted && m.route == nullptr) {
      m.route = &route;
      m.params = std::move(params);
    }
  }
  return m;
}

}  // namespace otq::http
