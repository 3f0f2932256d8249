// The one outbound HTTP client of the connectors and OAuth exchanges (libcurl): timeouts,
// retries on 429/5xx and network errors honouring Retry-After, and a request log without secrets.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace otq::connectors {

struct HttpRequest {
  std::string method = "GET";
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

struct CaseInsensitiveLess {
  using is_transparent = void;
  bool operator()(std::string_view a, std::string_view b) const;
};

struct HttpResponse {
  long status = 0;
  std::map<std::string, std::string, CaseInsensitiveLess> headers;  ///< last value wins
  std::string body;

  std::optional<std::string> header(std::string_view name) const;
};

struct RetryPolicy {
  int max_attempts = 4;
  std::chrono::milliseconds base_delay{500};
  std::chrono::seconds max_delay{60};  ///< longer Retry-After values fail the call (Transient) instead
};

/// The provider could not be reached or kept failing; carries the last status (0: no answer) and
/// the server's requested wait, if any.
class HttpFailure : public std::runtime_error {
 public:
  HttpFailure(long status_code, const std::string& what, std::optional<std::chrono::seconds> wait)
      : std::runtime_error(what), status(status_code), message(what), retry_after(wait) {}
  long status = 0;
  std::string message;
  std::optional<std::chrono::seconds> retry_after;
};

class HttpClient {
 public:
  /// `sleep` waits between attempts; it may throw (the worker is stopping) to abort the call.
  using Sleep = std::function<void(std::chrono::milliseconds)>;
  explicit HttpClient(std::chrono::seconds timeout, Sleep sleep = {});

  /// Sends, retrying 429, 5xx and network errors per `policy`. Returns the response for any
  /// other status (the caller interprets 4xx), or throws HttpFailure after the last attempt.
  HttpResponse send(const HttpRequest& request, const RetryPolicy& policy = {});

  /// One attempt, no retries (OAuth code exchanges: a code works once).
  HttpResponse send_once(const HttpRequest& request);

  /// The URL with the values of secret-bearing query parameters replaced by "REDACTED".
  static std::string redact(std::string_view url);

  /// application/x-www-form-urlencoded / query-string encoding of one value.
  static std::string encode(std::string_view value);

 private:
  std::chrono::seconds timeout_;
  Sleep sleep_;
};

/// Seconds from a Retry-After header (delta-seconds, possibly fractional like Shopify's "2.0").
std::optional<std::chrono::seconds> parse_retry_after(std::string_view value);

}  // namespace otq::connectors
