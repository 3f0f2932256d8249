// What happens to every request between the socket and a handler: request id, body limit, CORS,
// routing, static files, worker dispatch, error envelope, security headers, the access log line.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "app/http/message.hpp"
#include "app/http/router.hpp"
#include "app/http/static_files.hpp"
#include "app/http/worker_pool.hpp"

namespace otq::http {

struct PipelineOptions {
  std::size_t max_body_bytes = 1024 * 1024;
  std::vector<std::string> cors_origins;           ///< exact origins allowed cross-origin
  bool hsts = false;                               ///< send Strict-Transport-Security (production, behind TLS)
  std::chrono::milliseconds queue_timeout{15000};  ///< a request that waited longer for a worker gets 503
  bool trust_proxy_headers = false;  ///< take the client address from X-Forwarded-For (behind our own proxy)
  bool route_every_path = false;     ///< the admin listener: no static files, every path goes to the router
};

/// Accepts `X-Request-Id` when it is 1-128 characters of [A-Za-z0-9._:-]; else makes "req_" + 24 hex.
std::string choose_request_id(std::optional<std::string_view> incoming);

class Pipeline {
 public:
  /// Called exactly once per request, from an I/O thread or a worker thread.
  using Reply = std::function<void(Response)>;

  Pipeline(PipelineOptions options, const Router& router, const StaticFiles& static_files, WorkerPool& workers);

  /// Handles `request` (request_id is assigned here) and eventually calls `reply`.
  void handle(Request request, Reply reply) const;

 private:
  void dispatch(Request& request, const Router::Match& match, const std::function<void(Response)>& finish) const;
  Response serve_static(const Request& request) const;
  Response preflight(const Request& request, const Router::Match& match) const;
  void decorate(const Request& request, Response& response) const;
  bool origin_allowed(std::string_view origin) const;

  PipelineOptions options_;
  const Router& router_;
  const StaticFiles& static_files_;
  WorkerPool& workers_;
  std::size_t max_route_body_ = 0;  ///< the largest per-route body limit
};

/// Runs `route.handler`, turning any exception into the error envelope (and a log line with the detail).
Response run_handler(const Route& route, Request& request);

}  // namespace otq::http
