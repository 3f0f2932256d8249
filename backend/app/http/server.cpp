// RESTinio adapter. The only translation unit that includes RESTinio (it is heavy to compile).
#include "app/http/server.hpp"

#include <utility>  // before Asio, which RESTinio pulls in (C++20 quirk noted in STACK.md)

#include <atomic>
#include <condition_variable>
#include <future>
#include <mutex>
#include <thread>
#include <vector>

#include <restinio/all.hpp>

#include "app/logging.hpp"

namespace otq::http {
namespace {

// asio strands + asio timers: safe on a thread pool. RESTinio's connection count limiter is not
// used: its connections keep a raw pointer to it, and a connection still alive when the server is
// destroyed (a stalled download at shutdown) would then use it after it is freed.
using Traits = restinio::default_traits_t;

std::string reason_phrase(int status) {
  switch (status) {
    case 200: return "OK";
    case 201: return "Created";
    case 202: return "Accepted";
    case 204: return "No Content";
    case 301: return "Moved Permanently";
    case 302: return "Found";
    case 304: return "Not Modified";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 402: return "Payment Required";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 409: return "Conflict";
    case 413: return "Payload Too Large";
    case 422: return "Unprocessable Content";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    default: return "Status";
  }
}

}  // namespace

struct Server::Impl {
  ServerOptions options;
  const Pipeline& pipeline;
  restinio::asio_ns::io_context io;
  std::unique_ptr<restinio::http_server_t<Traits>> server;
  std::vector<std::thread> threads;
  std::atomic<std::uint16_t> bound_port{0};
  std::atomic<bool> draining{false};
  std::atomic<bool> io_stopped{false};  ///< after shutdown's grace: no write will complete any more
  std::atomic<std::size_t> in_flight{0};
  std::mutex mutex;
  std::condition_variable drained;
  bool stopped = false;

  Impl(ServerOptions o, const Pipeline& p) : options(std::move(o)), pipeline(p) {}

  void request_done() {
    if (in_flight.fetch_sub(1) == 1) {
      std::lock_guard lock(mutex);
      drained.notify_all();
    }
  }

  restinio::request_handling_status_t on_request(const restinio::request_handle_t& handle) {
    in_flight.fetch_add(1);
    Request req;
    const auto& h = handle->header();
    req.method = parse_method(h.method().c_str());
    req.target = std::string(h.path());
    req.path = percent_decode(req.target).value_or(req.target);
    req.query = std::string(h.query());
    h.for_each_field([&req](const restinio::http_header_field_t& f) { req.headers.add(f.name(), f.value()); });
    req.body = handle->body();
    req.client_ip = handle->remote_endpoint().address().to_string();
    const bool head = req.method == Method::head;

    pipeline.handle(std::move(req), [this, handle, head](Response res) {
      if (res.stream && !head) {
        stream(handle, std::move(res));
        return;
      }
      auto out = handle->create_response(restinio::http_status_line_t{
          restinio::http_status_code_t{static_cast<std::uint16_t>(res.status)}, reason_phrase(res.status)});
      add_headers(out, res);
      if (!head) out.set_body(std::move(res.body));
      // Counted as finished only once written, so a graceful stop never cuts a response short.
      out.done([this](const restinio::asio_ns::error_code&) { request_done(); });
    });
    return restinio::request_accepted();
  }

  // Status-independent headers of every response, buffered or streamed.
  template <typename Builder>
  void add_headers(Builder& out, Response& res) {
    out.append_header_date_field();
    out.append_header(restinio::http_field::server, "omnitrackiq");
    if (!res.content_type.empty()) out.append_header(restinio::http_field::content_type, res.content_type);
    for (auto& [name, value] : res.headers) out.append_header(name, std::move(value));
    if (draining.load()) out.connection_close();
  }

  // Chunked transfer encoding; runs on the worker that produced the response. Each chunk waits
  // for the previous write to finish, so a slow client holds one chunk in memory, not the export.
  void stream(const restinio::request_handle_t& handle, Response res) {
    auto out = handle->create_response<restinio::chunked_output_t>(restinio::http_status_line_t{
        restinio::http_status_code_t{static_cast<std::uint16_t>(res.status)}, reason_phrase(res.status)});
    add_headers(out, res);
    auto flushed = [this, &out] {
      auto done = std::make_shared<std::promise<bool>>();
      auto result = done->get_future();
      out.flush([done](const restinio::asio_ns::error_code& ec) { done->set_value(!ec); });
      // A shutdown past its grace period stops the I/O threads: give up instead of waiting forever.
      while (result.wait_for(std::chrono::milliseconds(200)) != std::future_status::ready) {
        if (io_stopped.load()) return false;
      }
      return result.get();
    };
    bool open = flushed();
    if (open) {
      try {
        res.stream([&](std::string chunk) {
          if (!open || chunk.empty()) return open;
          out.append_chunk(std::move(chunk));
          open = flushed();
          return open;
        });
      } catch (const std::exception& e) {
        // The status line is gone; closing without the last chunk tells the client it is cut short.
        log::error("stream_failed", {{"error", e.what()}});
        out.connection_close();
        open = false;
      }
    }
    out.done([this](const restinio::asio_ns::error_code&) { request_done(); });
  }
};

Server::Server(ServerOptions options, const Pipeline& pipeline)
    : impl_(std::make_unique<Impl>(std::move(options), pipeline)) {}

Server::~Server() {
  shutdown(std::chrono::milliseconds(0));
}

void Server::start() {
  Impl& im = *impl_;
  // RESTinio drops the connection (no response) past its own limit, so it is set well above ours:
  // bodies between the two get a proper 413 envelope from the pipeline.
  const std::uint64_t hard_limit =
      std::max<std::uint64_t>(im.options.max_body_bytes * 4, im.options.max_body_bytes + 4 * 1024 * 1024);
  auto settings = restinio::server_settings_t<Traits>{}
                      .address(im.options.host)
                      .port(im.options.port)
                      .request_handler([&im](auto handle) { return im.on_request(handle); })
                      .handle_request_timeout(im.options.request_timeout)
                      .read_next_http_message_timelimit(std::chrono::seconds(60))
                      .write_http_response_timelimit(std::chrono::seconds(30))
                      .incoming_http_msg_limits(restinio::incoming_http_msg_limits_t{}.max_body_size(hard_limit))
                      .acceptor_post_bind_hook([&im](restinio::asio_ns::ip::tcp::acceptor& acceptor) {
                        im.bound_port.store(acceptor.local_endpoint().port());
                      });
  im.server =
      std::make_unique<restinio::http_server_t<Traits>>(restinio::external_io_context(im.io), std::move(settings));
  std::promise<void> opened;
  auto opened_future = opened.get_future();
  im.server->open_async([&opened] { opened.set_value(); },
                        [&opened](std::exception_ptr e) { opened.set_exception(std::move(e)); });
  for (std::size_t i = 0; i < im.options.io_threads; ++i) {
    im.threads.emplace_back([&im] { im.io.run(); });
  }
  try {
    opened_future.get();
  } catch (const std::exception& e) {
    im.io.stop();
    for (auto& t : im.threads) t.join();
    im.threads.clear();
    im.stopped = true;
    throw std::runtime_error(std::string("cannot listen on ") + im.options.host + ":" +
                             std::to_string(im.options.port) + ": " + e.what());
  }
}

std::uint16_t Server::port() const {
  return impl_->bound_port.load();
}

std::size_t Server::in_flight() const {
  return impl_->in_flight.load();
}

void Server::shutdown(std::chrono::milliseconds grace) {
  Impl& im = *impl_;
  {
    std::lock_guard lock(im.mutex);
    if (im.stopped || !im.server) return;
    im.stopped = true;
  }
  im.draining.store(true);
  auto closed = std::make_shared<std::promise<void>>();
  auto closed_future = closed->get_future();
  im.server->close_async([closed] { closed->set_value(); }, [closed](std::exception_ptr) { closed->set_value(); });
  // The close runs on an I/O thread; if none is left running (the io_context ran out of work),
  // waiting for it would hang the shutdown.
  if (closed_future.wait_for(std::chrono::seconds(2)) != std::future_status::ready) {
    log::warn("shutdown_close_timed_out", {{"detail", "the listener did not confirm its close; stopping anyway"}});
  }

  {
    std::unique_lock lock(im.mutex);
    im.drained.wait_for(lock, grace, [&im] { return im.in_flight.load() == 0; });
  }
  const std::size_t unfinished = im.in_flight.load();
  if (unfinished > 0) log::warn("shutdown_cut_requests", {{"in_flight", unfinished}});
  im.io.stop();
  im.io_stopped.store(true);
  for (auto& t : im.threads) t.join();
  im.threads.clear();
}

}  // namespace otq::http
