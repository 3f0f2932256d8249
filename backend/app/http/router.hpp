// Method + path-pattern matching ("/api/v1/items/{id}"); the route table itself is api/router.cpp.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "app/http/message.hpp"

namespace otq::http {

/// Where a handler runs. I/O threads must never wait on the database, bcrypt or outbound HTTP,
/// so only handlers that do pure in-memory work may run there (docs/adr/0001-http-server-and-threading.md).
enum class Runs { on_io_thread, on_worker };

/// Who may call a route (documentation and tests; api/router.cpp's wrappers enforce it).
enum class Access { public_route, authenticated };

using Handler = std::function<Response(Request&)>;

struct Route {
  Method method;
  std::string pattern;  ///< absolute path; `{name}` matches one non-empty segment
  Access access;
  Runs runs;
  Handler handler;
  std::size_t max_body_bytes = 0;  ///< 0: the server's MAX_BODY_BYTES; larger for batch uploads
};

class Router {
 public:
  /// Adds a route; aborts on a duplicate method+pattern (a programming error found by every test run).
  void add(Route route);

  struct Match {
    const Route* route = nullptr;                            ///< null when nothing matched
    std::map<std::string, std::string, std::less<>> params;  ///< decoded path parameters
    std::vector<Method> allowed;                             ///< methods of a path that matched (for 405/OPTIONS)
  };

  /// HEAD matches a GET route. `path` is the raw path; each parameter is percent-decoded on its own,
  /// so an encoded '/' stays inside its segment.
  Match match(Method method, std::string_view path) const;

  const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_;
};

}  // namespace otq::http
