// serve and migrate: wiring of config, pool, router, pipeline and server.
#include "app/commands.hpp"

#include <pthread.h>
#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>

#include <fmt/format.h>

#include <sys/resource.h>
#include <unistd.h>
#include "app/api/admin.hpp"
#include "app/api/router.hpp"
#include "app/db.hpp"
#include "app/http/pipeline.hpp"
#include "app/http/server.hpp"
#include "app/logging.hpp"
#include "app/migrate.hpp"
#include "app/security/random.hpp"
#include "app/services/account_service.hpp"
#include "app/services/auth_service.hpp"
#include "app/services/data_rights.hpp"
#include "app/services/health_service.hpp"
#include "app/services/ingest_service.hpp"
#include "app/services/worker.hpp"

namespace otq::commands {
namespace {

db::PoolOptions pool_options(const Config& config, std::string application_name) {
  return db::PoolOptions{config.database_url,
                         config.database_pool_size,
                         config.database_connect_timeout,
                         config.database_acquire_timeout,
                         config.database_statement_timeout,
                         std::move(application_name)};
}

security::CredentialCipher credential_cipher(const Config& config) {
  if (config.token_encryption_key.empty()) {
    // Only reachable with --dev: credentials stored now cannot be read after a restart.
    log::warn("token_encryption_key_generated",
              {{"detail", "TOKEN_ENCRYPTION_KEY unset; using a random key (--dev): reconnect after a restart"}});
    return security::CredentialCipher::parse("dev:" + security::random_hex(32));
  }
  return security::CredentialCipher::parse(config.token_encryption_key);
}

// The admin listener when METRICS_PORT is set; throws when its address cannot be bound.
std::unique_ptr<api::AdminEndpoint> start_admin(const Config& config, api::AdminSources sources) {
  if (!config.metrics_port) return nullptr;
  auto admin = std::make_unique<api::AdminEndpoint>(config, std::move(sources));
  admin->start();
  return admin;
}

// The soft descriptor limit raised to the hard one (a common default is 1024 of 524288): every
// client connection is a descriptor, and RESTinio's listener stops for good when an accept fails
// with EMFILE. Returns the limit now in force.
std::size_t raise_descriptor_limit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return 0;
  if (limit.rlim_cur < limit.rlim_max) {
    rlimit raised = limit;
    raised.rlim_cur = limit.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &raised) == 0) limit = raised;
  }
  return limit.rlim_cur == RLIM_INFINITY ? 0 : static_cast<std::size_t>(limit.rlim_cur);
}

sigset_t stop_signal_set() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  return set;
}

}  // namespace

void block_stop_signals() {
  const sigset_t set = stop_signal_set();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  std::signal(SIGPIPE, SIG_IGN);
}

int serve(const Config& config) {
  const sigset_t stop_signals = stop_signal_set();

  db::Pool pool(pool_options(config, "omnitrackiq-serve"));
  const services::Readiness readiness = services::check_readiness(pool);
  if (!readiness.database_reachable) {
    log::warn("database_unreachable_at_start",
              {{"detail", "serving anyway; /api/v1/ready answers 503 until it is up"}});
  } else if (!readiness.migrations_current) {
    log::warn("migrations_pending", {{"pending", readiness.pending_migrations},
                                     {"changed", readiness.changed_migrations},
                                     {"detail", "run `omnitrackiq migrate`"}});
  }

  const http::StaticFiles static_files = http::StaticFiles::load(config.static_dir);
  if (static_files.size() == 0) {
    log::warn("frontend_missing", {{"static_dir", config.static_dir}, {"detail", "build it with `make build`"}});
  }

  services::AuthGate auth(pool, security::JwtCodec(config.jwt_secret), config.bcrypt_cost, system_clock(), {},
                          services::MailSettings{config.public_url, config.dev_mode});
  services::AccountService accounts(pool, config.public_url, config.dev_mode,
                                    security::Sealer::derive(config.jwt_secret, "otq-cursor-v1"));
  services::MetricsService metrics(pool, config.billing.catalog,
                                   security::Sealer::derive(config.jwt_secret, "otq-metrics-cursor-v1"),
                                   config.metrics_cache_bytes);
  services::IngestService ingest(pool);
  services::IntegrationsService integrations(pool, config, credential_cipher(config), config.jwt_secret);
  services::BillingService billing(pool, config);
  services::ShopifyWebhooks shopify_webhooks(pool, config);
  services::DataRights data_rights(pool);
  api::AppContext app{config, pool,         auth,    accounts,         metrics,
                      ingest, integrations, billing, shopify_webhooks, data_rights};
  const http::Router router = api::build_router(app);
  http::WorkerPool workers(config.worker_threads, config.worker_queue_limit);
  const http::Pipeline pipeline(http::PipelineOptions{config.max_body_bytes, config.cors_origins, !config.dev_mode,
                                                      config.request_timeout, config.trust_proxy_headers},
                                router, static_files, workers);
  const std::size_t descriptor_limit = raise_descriptor_limit();
  http::Server server(http::ServerOptions{config.host, config.port, config.http_threads, config.request_timeout,
                                          std::max(config.max_body_bytes, config.ingest_max_body_bytes)},
                      pipeline);
  std::unique_ptr<api::AdminEndpoint> admin;
  try {
    server.start();
    admin = start_admin(
        config, api::AdminSources{"serve", &pool, &workers, config.worker_threads, config.worker_queue_limit, &server});
  } catch (const std::exception& e) {
    log::error("listen_failed", {{"detail", e.what()}});
    return kExitFailure;
  }
  log::info("listening", {{"host", config.host},
                          {"port", server.port()},
                          {"http_threads", config.http_threads},
                          {"worker_threads", config.worker_threads},
                          {"descriptor_limit", descriptor_limit},
                          {"static_files", static_files.size()},
                          {"dev_mode", config.dev_mode}});
  log::flush();

  int signal_number = 0;
  sigwait(&stop_signals, &signal_number);
  log::info("shutdown_started",
            {{"signal", signal_number == SIGTERM ? "SIGTERM" : "SIGINT"}, {"in_flight", server.in_flight()}});
  server.shutdown(config.shutdown_timeout);
  workers.stop();
  if (admin) admin->shutdown();
  pool.close();
  log::info("shutdown_complete");
  log::flush();
  return kExitOk;
}

int migrate(const Config& config) {
  try {
    auto conn = db::connect(pool_options(config, "omnitrackiq-migrate"));
    const migrate::Report report = migrate::run(*conn, migrate::embedded());
    log::info("migrate_complete", {{"applied_now", report.applied_now},
                                   {"already_applied", report.already_applied},
                                   {"known", migrate::embedded().size()}});
    log::flush();
    return kExitOk;
  } catch (const Error& e) {
    log::error("migrate_failed", {{"detail", e.public_message() + " " + e.internal_detail()}});
  } catch (const std::exception& e) {
    log::error("migrate_failed", {{"detail", e.what()}});
  }
  return kExitFailure;
}

}  // namespace otq::commands

namespace otq::commands {

// Runs an operator command (one shot, from a shell): its failures go to stderr as one line the
// operator can act on, with details in the log. Returns the command's exit code.
template <typename Fn>
int operator_command(std::string_view name, Fn&& fn) {
  int code = kExitFailure;
  try {
    code = fn();
  } catch (const Error& e) {
    std::cerr << "omnitrackiq " << name << ": " << e.public_message() << "\n";
    if (!e.internal_detail().empty())
      log::error("command_failed", {{"command", name}, {"detail", e.internal_detail()}});
  } catch (const std::exception& e) {
    std::cerr << "omnitrackiq " << name << ": " << e.what() << "\n";
  }
  log::flush();
  return code;
}

int seed_demo(const Config& config, services::DemoOptions options) {
  return operator_command("seed-demo", [&] {
    db::Pool pool(pool_options(config, "omnitrackiq-seed"));
    options.bcrypt_cost = config.bcrypt_cost;
    services::SystemTasks tasks(pool);
    const auto started = std::chrono::steady_clock::now();
    const auto result = tasks.seed_demo(options, [](const std::string& line) { std::cout << line << std::endl; });
    if (result.skipped) {
      std::cout << "seed-demo: the database already has accounts; nothing to do\n";
      return kExitOk;
    }
    const auto ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count();
    std::cout << fmt::format("seed-demo: {} stores, {} orders, {} spend rows in {:.1f} s\n", result.accounts,
                             result.orders, result.spend_rows, static_cast<double>(ms) / 1000.0);
    std::cout << fmt::format("seed-demo: demo login  email: {}  password: {}\n", result.email,
                             result.password.empty() ? "(as given)" : result.password);
    return kExitOk;
  });
}

int rebuild_rollups(const Config& config, const std::optional<std::string>& account) {
  return operator_command("rollups rebuild", [&] {
    db::Pool pool(pool_options(config, "omnitrackiq-rollups"));
    services::SystemTasks tasks(pool);
    const auto n = tasks.rebuild_rollups(account);
    std::cout << fmt::format("rollups: rebuilt {} account(s)\n", n);
    return kExitOk;
  });
}

int reseal_credentials(const Config& config) {
  return operator_command("credentials reseal", [&] {
    db::Pool pool(pool_options(config, "omnitrackiq-credentials"));
    services::SystemTasks tasks(pool);
    const auto cipher = credential_cipher(config);
    const auto r = tasks.reseal_credentials(cipher);
    std::cout << fmt::format("credentials: {} re-sealed under key '{}', {} already were, {} unreadable\n", r.resealed,
                             cipher.active_key_id(), r.current, r.unreadable);
    return r.unreadable == 0 ? kExitOk : kExitFailure;
  });
}

int export_account(const Config& config, const std::string& account, const std::string& output) {
  return operator_command("account export", [&] {
    db::Pool pool(pool_options(config, "omnitrackiq-export"));
    const auto scope = services::SystemTasks(pool).account_scope(account);
    // Written next to the target and renamed at the end: a failed export leaves no partial file.
    const std::string partial = output + ".partial";
    std::ofstream out(partial, std::ios::binary | std::ios::trunc);
    if (!out) throw Error(ErrorCode::invalid_argument, fmt::format("Cannot write {}.", partial));
    std::uint64_t bytes = 0;
    const bool written = services::DataRights(pool).write_archive(scope, [&](std::string chunk) {
      bytes += chunk.size();
      out.write(chunk.data(), static_cast<std::streamsize>(chunk.size()));
      return static_cast<bool>(out);
    });
    out.close();
    if (!written || !out) {
      std::filesystem::remove(partial);
      throw Error(ErrorCode::internal, fmt::format("Writing {} failed (disk full?).", output));
    }
    std::filesystem::rename(partial, output);
    std::cout << fmt::format("account export: {} written ({} bytes)\n", output, bytes);
    return kExitOk;
  });
}

int erase_account(const Config& config, const std::string& account, const std::string& confirmation) {
  return operator_command("account erase", [&] {
    if (confirmation != account) {
      throw Error(ErrorCode::invalid_argument,
                  fmt::format("Erasing is for good: repeat the account's id, --confirm {}.", account));
    }
    db::Pool pool(pool_options(config, "omnitrackiq-erase"));
    const auto scope = services::SystemTasks(pool).account_scope(account);
    const char* login = std::getenv("USER");
    const auto rows = services::DataRights(pool).erase(
        scope, fmt::format("operator:{}", login != nullptr && *login != '\0' ? login : "unknown"), "");
    std::int64_t total = 0;
    for (const auto& [table, n] : rows) total += n;
    std::cout << fmt::format("account erase: {} erased ({} rows)\n", account, total);
    return kExitOk;
  });
}

int worker(const Config& config) {
  const sigset_t stop_signals = stop_signal_set();
  db::Pool pool(pool_options(config, "omnitrackiq-worker"));
  char host[256] = {};
  gethostname(host, sizeof host - 1);
  services::Worker w(pool, config, credential_cipher(config), fmt::format("{}:{}", host, getpid()));
  std::unique_ptr<api::AdminEndpoint> admin;
  try {
    admin = start_admin(config, api::AdminSources{"worker", &pool});
  } catch (const std::exception& e) {
    log::error("listen_failed", {{"detail", e.what()}});
    log::flush();
    return kExitFailure;
  }
  std::thread signals([&] {
    int signal_number = 0;
    sigwait(&stop_signals, &signal_number);
    log::info("worker_stopping", {{"signal", signal_number == SIGTERM ? "SIGTERM" : "SIGINT"}});
    w.stop();
  });
  w.run();
  // run() returns only after stop(); the signal thread has finished.
  signals.join();
  if (admin) admin->shutdown();
  pool.close();
  log::flush();
  return kExitOk;
}

}  // namespace otq::commands
