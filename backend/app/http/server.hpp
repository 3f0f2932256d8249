// The HTTP server: RESTinio on a small pool of I/O threads, feeding the Pipeline.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "app/http/pipeline.hpp"

namespace otq::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8080;  ///< 0 picks a free port; see Server::port()
  std::size_t io_threads = 2;
  std::chrono::milliseconds request_timeout{15000};
  std::size_t max_body_bytes = 1024 * 1024;
};

class Server {
 public:
  Server(ServerOptions options, const Pipeline& pipeline);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  /// Binds and starts the I/O threads. Throws std::runtime_error when the address cannot be bound.
  void start();

  /// The bound port (useful with port 0).
  std::uint16_t port() const;

  /// Graceful stop: closes the listening socket, lets in-flight requests finish for up to `grace`
  /// (their responses carry `Connection: close`), then stops the I/O threads. Idempotent.
  void shutdown(std::chrono::milliseconds grace);

  /// Requests whose responses have not been fully written yet.
  std::size_t in_flight() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace otq::http
