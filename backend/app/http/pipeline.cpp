// Request pipeline. The order of checks is deliberate: size before routing (never parse what we
// refuse), routing before dispatch (404/405 cost no worker), and every exit goes through finish().
#include "app/http/pipeline.hpp"

#include <algorithm>
#include <cmath>
#include <memory>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "app/api/errors.hpp"
#include "app/errors.hpp"
#include "app/logging.hpp"
#include "app/security/random.hpp"
#include "app/telemetry.hpp"

namespace otq::http {
namespace {

constexpr std::string_view kApiCsp = "default-src 'none'; frame-ancestors 'none'";
// Next.js' static export inlines its bootstrap scripts and styles, hence 'unsafe-inline'.
constexpr std::string_view kHtmlCsp =
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'";

bool is_api_path(std::string_view path) {
  return path == "/api" || path.starts_with("/api/");
}

std::string allow_header(const std::vector<Method>& methods) {
  std::vector<std::string_view> names;
  for (Method m : methods) {
    names.push_back(method_name(m));
    if (m == Method::get) names.push_back("HEAD");
  }
  names.push_back("OPTIONS");
  return fmt::format("{}", fmt::join(names, ", "));
}

}  // namespace

std::string choose_request_id(std::optional<std::string_view> incoming) {
  if (incoming && !incoming->empty() && incoming->size() <= 128 &&
      std::all_of(incoming->begin(), incoming->end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == ':' || c == '-';
      })) {
    return std::string(*incoming);
  }
  return "req_" + security::random_hex(12);
}

Response run_handler(const Route& route, Request& request) {
  log::RequestIdScope scope(request.request_id);
  try {
    return route.handler(request);
  } catch (const Error& e) {
    if (e.code() == ErrorCode::internal || e.code() == ErrorCode::unavailable || e.code() == ErrorCode::upstream) {
      log::error("request_failed", {{"code", error_code_name(e.code())}, {"detail", e.internal_detail()}});
    } else if (!e.internal_detail().empty()) {
      log::info("request_rejected", {{"code", error_code_name(e.code())}, {"detail", e.internal_detail()}});
    }
    http::Response r = api::error_response(e.code(), e.public_message(), request.request_id, e.details());
    if (e.retry_after_seconds()) r.header("Retry-After", std::to_string(*e.retry_after_seconds()));
    if (e.code() == ErrorCode::unauthenticated) r.header("WWW-Authenticate", "Bearer realm=\"omnitrackiq\"");
    return r;
  } catch (const std::exception& e) {
    log::error("unhandled_exception", {{"route", route.pattern}, {"detail", e.what()}});
    return api::internal_error_response(request.request_id);
  } catch (...) {
    log::error("unhandled_exception", {{"route", route.pattern}, {"detail", "non-standard exception"}});
    return api::internal_error_response(request.request_id);
  }
}

Pipeline::Pipeline(PipelineOptions options, const Router& router, const StaticFiles& static_files, WorkerPool& workers)
    : options_(std::move(options)), router_(router), static_files_(static_files), workers_(workers) {
  for (const auto& route : router_.routes()) max_route_body_ = std::max(max_route_body_, route.max_body_bytes);
}

void Pipeline::handle(Request request, Reply reply) const {
  request.request_id = choose_request_id(request.headers.get("X-Request-Id"));
  if (options_.trust_proxy_headers) {
    // The proxy appends the address it saw; the rightmost entry is the only one it vouches for.
    if (auto xff = request.headers.get("X-Forwarded-For"); xff && !xff->empty()) {
      std::string_view last = *xff;
      if (const auto comma = last.rfind(','); comma != std::string_view::npos) last = last.substr(comma + 1);
      while (!last.empty() && last.front() == ' ') last.remove_prefix(1);
      while (!last.empty() && last.back() == ' ') last.remove_suffix(1);
      if (!last.empty() && last.size() <= 45 && std::all_of(last.begin(), last.end(), [](char c) {
            return std::isxdigit(static_cast<unsigned char>(c)) || c == '.' || c == ':';
          })) {
        request.client_ip = std::string(last);
      }
    }
  }
  const auto started = std::chrono::steady_clock::now();

  // Shared by the I/O-thread path and the worker path; the request is moved into it once.
  auto req = std::make_shared<Request>(std::move(request));
  auto finish = [this, req, started, reply = std::move(reply)](Response response) {
    decorate(*req, response);
    const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
    const std::string status = std::to_string(response.status);
    telemetry::http_requests()
        .with({method_name(req->method), req->route.empty() ? std::string_view("unmatched") : req->route, status})
        .observe(ms / 1000.0);
    log::RequestIdScope scope(req->request_id);
    log::info("http_request", {{"method", method_name(req->method)},
                               {"route", req->route.empty() ? "unmatched" : req->route},
                               {"status", response.status},
                               {"duration_ms", std::round(ms * 1000.0) / 1000.0},
                               {"bytes_in", req->body.size()},
                               {"bytes_out", response.body.size()}});
    reply(std::move(response));
  };

  auto too_large = [&](std::size_t limit) {
    if (req->body.size() <= limit) return false;
    finish(api::error_response(
        ErrorCode::payload_too_large,
        fmt::format("The request body is {} bytes; the limit is {} bytes.", req->body.size(), limit), req->request_id));
    return true;
  };
  if (too_large(std::max(options_.max_body_bytes, max_route_body_))) return;

  if (!options_.route_every_path && !is_api_path(req->target)) {
    req->route = "static";
    finish(serve_static(*req));
    return;
  }

  const Router::Match match = router_.match(req->method, req->target);
  if (too_large(match.route != nullptr && match.route->max_body_bytes > 0 ? match.route->max_body_bytes
                                                                          : options_.max_body_bytes)) {
    return;
  }
  if (req->method == Method::options) {
    req->route = "preflight";
    finish(preflight(*req, match));
    return;
  }
  if (match.route == nullptr) {
    if (match.allowed.empty()) {
      finish(api::error_response(ErrorCode::not_found,
                                 fmt::format("No API route {} {}. See /api/v1/openapi.json for the routes.",
                                             method_name(req->method), req->target),
                                 req->request_id));
    } else {
      Response r = api::error_response(ErrorCode::method_not_allowed,
                                       fmt::format("{} is not allowed on {}; use {}.", method_name(req->method),
                                                   req->target, allow_header(match.allowed)),
                                       req->request_id);
      r.header("Allow", allow_header(match.allowed));
      finish(std::move(r));
    }
    return;
  }
  req->route = match.route->pattern;
  req->path_params = match.params;
  dispatch(*req, match, finish);
}

void Pipeline::dispatch(Request& request, const Router::Match& match,
                        const std::function<void(Response)>& finish) const {
  const Route& route = *match.route;
  if (route.runs == Runs::on_io_thread) {
    finish(run_handler(route, request));
    return;
  }
  const auto queued_at = std::chrono::steady_clock::now();
  const auto queue_timeout = options_.queue_timeout;
  const bool posted = workers_.try_post([&route, &request, finish, queued_at, queue_timeout] {
    if (std::chrono::steady_clock::now() - queued_at > queue_timeout) {
      telemetry::http_rejected().with({"queue_timeout"}).inc();
      Response r =
          api::error_response(ErrorCode::unavailable, "The service is busy; try again shortly.", request.request_id);
      r.header("Retry-After", "1");
      finish(std::move(r));
      return;
    }
    finish(run_handler(route, request));
  });
  if (!posted) {
    telemetry::http_rejected().with({"queue_full"}).inc();
    Response r =
        api::error_response(ErrorCode::unavailable, "The service is busy; try again shortly.", request.request_id);
    r.header("Retry-After", "1");
    finish(std::move(r));
  }
}

Response Pipeline::serve_static(const Request& request) const {
  if (request.method != Method::get && request.method != Method::head) {
    Response r =
        api::error_response(ErrorCode::method_not_allowed, "Only GET and HEAD are allowed here.", request.request_id);
    r.header("Allow", "GET, HEAD");
    return r;
  }
  const StaticFile* file = static_files_.find(request.path);
  int status = 200;
  if (file == nullptr) {
    file = static_files_.not_found_page();
    status = 404;
    if (file == nullptr) {
      return api::error_response(ErrorCode::not_found, "No such page.", request.request_id);
    }
  }
  const bool gzip = !file->gzip.empty() && accepts_gzip(request.headers.get("Accept-Encoding").value_or(""));
  const std::string& etag = gzip ? file->gzip_etag : file->etag;
  Response r;
  r.status = status;
  r.content_type = file->content_type;
  r.header("ETag", etag);
  r.header("Cache-Control", file->immutable ? "public, max-age=31536000, immutable" : "no-cache");
  if (!file->gzip.empty()) r.header("Vary", "Accept-Encoding");
  if (gzip) r.header("Content-Encoding", "gzip");
  if (status == 200 && request.headers.get("If-None-Match") == std::optional<std::string_view>(etag)) {
    r.status = 304;
    r.content_type.clear();
    return r;
  }
  if (request.method != Method::head) r.body = gzip ? file->gzip : file->content;
  return r;
}

Response Pipeline::preflight(const Request& request, const Router::Match& match) const {
  if (match.allowed.empty()) {
    return api::error_response(ErrorCode::not_found, fmt::format("No API route at {}.", request.target),
                               request.request_id);
  }
  const auto origin = request.headers.get("Origin");
  if (origin && request.headers.get("Access-Control-Request-Method") && !origin_allowed(*origin)) {
    return api::error_response(ErrorCode::forbidden,
                               fmt::format("Origin {} may not call this API; add it to CORS_ORIGINS.", *origin),
                               request.request_id);
  }
  Response r = Response::empty(204);
  r.header("Allow", allow_header(match.allowed));
  if (origin && origin_allowed(*origin)) {
    r.header("Access-Control-Allow-Methods", allow_header(match.allowed));
    r.header("Access-Control-Allow-Headers", "Authorization, Content-Type, X-Request-Id");
    r.header("Access-Control-Max-Age", "600");
  }
  return r;
}

bool Pipeline::origin_allowed(std::string_view origin) const {
  return std::find(options_.cors_origins.begin(), options_.cors_origins.end(), origin) != options_.cors_origins.end();
}

void Pipeline::decorate(const Request& request, Response& response) const {
  response.header("X-Request-Id", request.request_id);
  response.header("X-Content-Type-Options", "nosniff");
  response.header("X-Frame-Options", "DENY");
  response.header("Referrer-Policy", "strict-origin-when-cross-origin");
  response.header("Cross-Origin-Opener-Policy", "same-origin");
  response.header("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
  if (options_.hsts) response.header("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
  if (is_api_path(request.target)) {
    response.header("Cache-Control", "no-store");
    response.header("Content-Security-Policy", std::string(kApiCsp));
    if (auto origin = request.headers.get("Origin"); origin && origin_allowed(*origin)) {
      response.header("Access-Control-Allow-Origin", std::string(*origin));
      response.header("Access-Control-Allow-Credentials", "true");
      response.header("Access-Control-Expose-Headers", "X-Request-Id");
    }
    response.header("Vary", "Origin");
  } else if (response.content_type.starts_with("text/html")) {
    response.header("Content-Security-Policy", std::string(kHtmlCsp));
  }
}

}  // namespace otq::http
