#include "app/api/admin.hpp"

#include <fmt/format.h>

#include "app/embedded.hpp"
#include "app/http/pipeline.hpp"
#include "app/http/router.hpp"
#include "app/http/static_files.hpp"
#include "app/logging.hpp"
#include "app/models/job.hpp"
#include "app/telemetry.hpp"

namespace otq::api {
namespace {

using Labels = std::vector<std::pair<std::string, std::string>>;

void write_pool(telemetry::Exposition& out, const db::Pool& pool) {
  const db::PoolStats s = pool.stats();
  out.family("otq_db_pool_max_connections", "gauge", "DATABASE_POOL_SIZE: the most connections this process opens.");
  out.sample("otq_db_pool_max_connections", {}, static_cast<double>(pool.options().size));
  out.family("otq_db_pool_connections", "gauge", "Open pooled connections: in_use (leased) or idle.");
  out.sample("otq_db_pool_connections", {{"state", "in_use"}}, static_cast<double>(s.open - s.idle));
  out.sample("otq_db_pool_connections", {{"state", "idle"}}, static_cast<double>(s.idle));
  out.family("otq_db_pool_waiting", "gauge", "Callers waiting for a pooled connection right now.");
  out.sample("otq_db_pool_waiting", {}, static_cast<double>(s.waiting));
  out.family("otq_db_pool_acquire_timeouts_total", "counter",
             "Waits for a connection that gave up after DATABASE_ACQUIRE_TIMEOUT_MS (the caller got a 503).");
  out.sample("otq_db_pool_acquire_timeouts_total", {}, static_cast<double>(s.timeouts));
  out.family("otq_db_pool_connections_discarded_total", "counter",
             "Connections dropped because they broke (PostgreSQL restarted or the network failed).");
  out.sample("otq_db_pool_connections_discarded_total", {}, static_cast<double>(s.discarded));
  out.family("otq_db_pool_acquire_wait_seconds", "histogram",
             "How long taking a pooled connection took, opening a new one included.");
  out.histogram("otq_db_pool_acquire_wait_seconds", {}, pool.acquire_wait());
}

void write_queue(telemetry::Exposition& out, db::Pool& stats_pool) {
  std::vector<models::job::KindStats> kinds;
  bool ok = true;
  try {
    kinds = stats_pool.once([](pqxx::nontransaction& tx) { return models::job::queue_stats(tx); });
  } catch (const std::exception& e) {
    ok = false;
    log::warn("metrics_queue_unavailable", {{"detail", e.what()}});
  }
  out.family("otq_database_up", "gauge", "1 when this scrape could read the job queue from PostgreSQL.");
  out.sample("otq_database_up", {}, ok ? 1 : 0);
  if (!ok) return;
  out.family("otq_job_queue_jobs", "gauge",
             "Jobs in the queue (every worker's), by kind and state: ready (due now), scheduled (later), running.");
  for (const auto& k : kinds) {
    out.sample("otq_job_queue_jobs", {{"kind", k.kind}, {"state", "ready"}}, static_cast<double>(k.ready));
    out.sample("otq_job_queue_jobs", {{"kind", k.kind}, {"state", "scheduled"}}, static_cast<double>(k.scheduled));
    out.sample("otq_job_queue_jobs", {{"kind", k.kind}, {"state", "running"}}, static_cast<double>(k.running));
  }
  out.family("otq_job_queue_oldest_ready_seconds", "gauge",
             "How long the longest-waiting due job of each kind has been due (0 when none is).");
  for (const auto& k : kinds) {
    out.sample("otq_job_queue_oldest_ready_seconds", {{"kind", k.kind}}, k.oldest_ready_seconds);
  }
}

}  // namespace

std::string render_metrics(const AdminSources& sources, db::Pool& stats_pool) {
  telemetry::Exposition out;
  out.family("otq_build_info", "gauge", "Always 1; the labels say which build and which process this is.");
  out.sample("otq_build_info", {{"version", OTQ_VERSION}, {"role", sources.role}}, 1);
  if (sources.server != nullptr) {
    out.family("otq_http_in_flight", "gauge", "Requests received whose responses are not fully written yet.");
    out.sample("otq_http_in_flight", {}, static_cast<double>(sources.server->in_flight()));
  }
  if (sources.http_workers != nullptr) {
    out.family("otq_http_worker_queue_depth", "gauge",
               "Requests waiting for a handler thread (503 beyond WORKER_QUEUE_LIMIT).");
    out.sample("otq_http_worker_queue_depth", {}, static_cast<double>(sources.http_workers->queued()));
    out.family("otq_http_worker_queue_limit", "gauge", "WORKER_QUEUE_LIMIT.");
    out.sample("otq_http_worker_queue_limit", {}, static_cast<double>(sources.http_queue_limit));
    out.family("otq_http_worker_threads", "gauge", "WORKER_THREADS: handler threads.");
    out.sample("otq_http_worker_threads", {}, static_cast<double>(sources.http_worker_threads));
  }
  if (sources.pool != nullptr) write_pool(out, *sources.pool);
  write_queue(out, stats_pool);
  telemetry::write_all(out);
  return out.text();
}

struct AdminEndpoint::Impl {
  const Config& config;
  AdminSources sources;
  db::Pool stats_pool;
  http::Router router;
  http::StaticFiles no_files = http::StaticFiles::load("");
  http::WorkerPool workers{1, 16};
  http::Pipeline pipeline;
  http::Server server;

  static db::PoolOptions stats_pool_options(const Config& c, const std::string& role) {
    // One connection, short waits: a scrape must answer quickly even when PostgreSQL does not.
    return db::PoolOptions{c.database_url,
                           1,
                           std::min(c.database_connect_timeout, std::chrono::seconds(2)),
                           std::chrono::milliseconds(1000),
                           std::chrono::milliseconds(2000),
                           "omnitrackiq-" + role + "-metrics"};
  }

  static http::Router make_router(Impl& self) {
    http::Router r;
    r.add({http::Method::get, "/metrics", http::Access::public_route, http::Runs::on_worker, [&self](http::Request&) {
             http::Response res;
             res.content_type = "text/plain; version=0.0.4; charset=utf-8";
             res.body = render_metrics(self.sources, self.stats_pool);
             return res;
           }});
    r.add(
        {http::Method::get, "/health", http::Access::public_route, http::Runs::on_io_thread, [&self](http::Request&) {
           return http::Response::json(200, {{"status", "ok"}, {"role", self.sources.role}, {"version", OTQ_VERSION}});
         }});
    return r;
  }

  Impl(const Config& c, AdminSources s)
      : config(c),
        sources(std::move(s)),
        stats_pool(stats_pool_options(c, sources.role)),
        router(make_router(*this)),
        pipeline(http::PipelineOptions{64 * 1024, {}, false, std::chrono::milliseconds(5000), false, true}, router,
                 no_files, workers),
        server(http::ServerOptions{c.metrics_host, c.metrics_port.value_or(0), 1, std::chrono::milliseconds(10000),
                                   64 * 1024},
               pipeline) {}
};

AdminEndpoint::AdminEndpoint(const Config& config, AdminSources sources)
    : impl_(std::make_unique<Impl>(config, std::move(sources))) {}

AdminEndpoint::~AdminEndpoint() {
  shutdown();
}

void AdminEndpoint::start() {
  impl_->server.start();
  log::info("admin_listening",
            {{"host", impl_->config.metrics_host}, {"port", impl_->server.port()}, {"paths", "/metrics /health"}});
}

std::uint16_t AdminEndpoint::port() const {
  return impl_->server.port();
}

void AdminEndpoint::shutdown() {
  impl_->server.shutdown(std::chrono::milliseconds(500));
  impl_->workers.stop();
  impl_->stats_pool.close();
}

}  // namespace otq::api
