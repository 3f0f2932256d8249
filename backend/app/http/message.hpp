// Transport-independent request and response types that handlers see (no RESTinio here).
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace otq::http {

enum class Method { get, head, post, put, patch, del, options, other };

/// "GET", "POST", ... for logs and the Allow header.
std::string_view method_name(Method m);
Method parse_method(std::string_view name);

/// Case-insensitive header lookup over the headers as received.
class Headers {
 public:
  void add(std::string name, std::string value);
  std::optional<std::string_view> get(std::string_view name) const;

 private:
  std::vector<std::pair<std::string, std::string>> items_;
};

struct Request {
  Method method = Method::get;
  std::string target;  ///< path as received, without the query string
  std::string path;    ///< percent-decoded path
  std::string query;   ///< raw query string without '?'
  Headers headers;
  std::string body;
  std::string request_id;
  std::string client_ip;  ///< peer address, or the proxy's X-Forwarded-For when TRUST_PROXY_HEADERS is on
  std::string route;      ///< the matched pattern, e.g. "/api/v1/health" (for logs)
  std::map<std::string, std::string, std::less<>> path_params;

  /// Value of cookie `name` from the Cookie header, if present.
  std::optional<std::string> cookie(std::string_view name) const;

  /// Decoded query parameter (first occurrence).
  std::optional<std::string> query_param(std::string_view name) const;

  /// The body parsed as a JSON object. Throws Error{invalid_argument} with the parser's position
  /// when it is not JSON, and when Content-Type is set but is not application/json.
  nlohmann::json json_object() const;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  /// A body too large to build in memory (CSV exports): when set, `body` is ignored and the
  /// server sends the headers, then calls this on the worker with a writer that blocks until each
  /// chunk is handed to the socket and returns false once the client has gone.
  std::function<void(const std::function<bool(std::string)>&)> stream;

  static Response json(int status, const nlohmann::json& body);
  static Response empty(int status);
  /// Adds a header. A CR, LF or NUL in the name or value (header injection) aborts the request
  /// with an internal error instead of reaching the wire.
  Response& header(std::string name, std::string value);
};

/// Percent-decodes `in` ('+' stays '+' unless `plus_is_space`). Returns nullopt on a bad escape.
std::optional<std::string> percent_decode(std::string_view in, bool plus_is_space = false);

}  // namespace otq::http
