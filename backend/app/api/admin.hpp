// The admin listener (METRICS_PORT): `GET /metrics` in Prometheus' text format and `GET /health`,
// on an address of its own that is scraped from inside the network and never published. Both
// `serve` and `worker` run one; docs/operations.md lists the series and the alerts.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "app/config.hpp"
#include "app/db.hpp"
#include "app/http/server.hpp"
#include "app/http/worker_pool.hpp"

namespace otq::api {

/// What one process reports beside the telemetry registry. Null members are left out.
struct AdminSources {
  std::string role;                                ///< "serve" or "worker"
  const db::Pool* pool = nullptr;                  ///< the process' main pool
  const http::WorkerPool* http_workers = nullptr;  ///< serve: handlers' queue
  std::size_t http_worker_threads = 0;
  std::size_t http_queue_limit = 0;
  const http::Server* server = nullptr;  ///< serve: requests in flight
};

/// The exposition for one scrape. `stats_pool` (its own small pool, so a scrape still answers
/// when the main pool is exhausted) reads the job queue; when that fails the queue series are
/// left out and otq_database_up is 0.
std::string render_metrics(const AdminSources& sources, db::Pool& stats_pool);

class AdminEndpoint {
 public:
  AdminEndpoint(const Config& config, AdminSources sources);
  ~AdminEndpoint();
  AdminEndpoint(const AdminEndpoint&) = delete;
  AdminEndpoint& operator=(const AdminEndpoint&) = delete;

  /// Binds METRICS_HOST:METRICS_PORT. Throws std::runtime_error when it cannot.
  void start();
  std::uint16_t port() const;
  void shutdown();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace otq::api
