// A sync run from start to finish. Every failure ends in words the integrations page can show.
#include "app/services/sync_runner.hpp"

#include <deque>
#include <future>
#include <thread>
#include <utility>

#include <fmt/format.h>

#include "app/connectors/registry.hpp"
#include "app/errors.hpp"
#include "app/logging.hpp"
#include "app/models/ingest.hpp"
#include "app/models/integration.hpp"
#include "app/schemas/metrics.hpp"
#include "app/telemetry.hpp"

namespace otq::services {
namespace {

using nlohmann::json;

std::string today_utc() {
  return schemas::metrics::format_day(std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now()));
}

class Context : public connectors::SyncContext {
 public:
  Context(db::Pool& pool, const Config& config, const models::AccountScope& scope,
          const models::integration::Integration& integration, json credentials, std::int64_t run_id,
          const std::atomic<bool>& stopping)
      : pool_(pool),
        config_(config),
        scope_(scope),
        integration_(integration),
        credentials_(std::move(credentials)),
        run_id_(run_id),
        stopping_(stopping),
        http_(config.outbound_timeout, [this](std::chrono::milliseconds d) { sleep(d); }) {}

  Context(const Context&) = delete;
  Context& operator=(const Context&) = delete;
  ~Context() override { abandon(); }

  const std::string& provider() const override { return integration_.provider; }
  const std::string& external_account_id() const override { return integration_.external_account_id; }
  const json& credentials() const override { return credentials_; }
  const json& settings() const override { return integration_.settings; }
  const ProviderSettings& providers() const override { return config_.providers; }
  connectors::HttpClient& http() override { return http_; }

  std::optional<json> cursor(const std::string& stream) override {
    flush();  // a cursor the pending batch moves must be read after it
    return pool_.read(
        [&](pqxx::read_transaction& tx) { return models::integration::cursor(tx, scope_, integration_.id, stream); });
  }

  void write_spend(std::vector<schemas::ingest::SpendRow> rows, bool new_rows, const std::string& stream,
                   const std::optional<json>& cursor) override {
    write(
        [this, rows = std::move(rows), new_rows](pqxx::work& tx) {
          if (new_rows) {
            // Under a savepoint: a row stored after all (another writer, a provider repeating a row)
            // undoes the plain insert, and the same batch is upserted in the same transaction.
            try {
              pqxx::subtransaction plain(tx, "new_spend");
              const auto counts = models::ingest::insert_new_spend(plain, scope_, rows, integration_.id);
              plain.commit();
              return counts;
            } catch (const pqxx::unique_violation&) {
              log::info("sync_rows_already_stored", {{"run", run_id_}, {"rows", rows.size()}});
            }
          }
          return models::ingest::upsert_spend(tx, scope_, rows, integration_.id);
        },
        stream, cursor);
  }

  bool spend_stored(const std::string& platform, const std::string& ad_account_id, const std::string& from,
                    const std::string& to) override {
    flush();
    return pool_.read([&](pqxx::read_transaction& tx) {
      return models::ingest::spend_stored(tx, scope_, platform, ad_account_id, from, to);
    });
  }

  void write_orders(std::vector<schemas::ingest::OrderRow> rows, const std::string& stream,
                    const std::optional<json>& cursor) override {
    write([this, rows = std::move(rows)](
              pqxx::work& tx) { return models::ingest::upsert_orders(tx, scope_, rows, integration_.id); },
          stream, cursor);
  }

  void replace_spend_window(const schemas::ingest::SpendWindow& window, const std::string& stream,
                            const json& cursor) override {
    write(
        [this, window](pqxx::work& tx) {
          // A window that was empty when its pull began holds only what the provider reported.
          return models::ingest::WriteCounts{
              .updated = window.stored_before ? models::ingest::delete_unreported_spend(tx, scope_, window) : 0};
        },
        stream, cursor);
  }

  void add_read(std::int64_t rows) override { unreported_read_ += rows; }

  void checkpoint() override {
    if (stopping_.load()) throw connectors::Cancelled();
  }

  void pause(std::chrono::milliseconds duration) override {
    log::info("sync_paced", {{"run", run_id_}, {"provider", integration_.provider}, {"ms", duration.count()}});
    sleep(duration);
  }

  std::string today() const override { return today_utc(); }

  std::string today_in(const std::string& time_zone) override {
    if (time_zone.empty()) return today_utc();
    try {
      // PostgreSQL's time zone database, the one the rollups use for accounts' days.
      return pool_.read([&](pqxx::read_transaction& tx) {
        return tx.exec_params1("SELECT (now() AT TIME ZONE $1)::date::text", time_zone)[0].as<std::string>();
      });
    } catch (const pqxx::data_exception&) {  // not a time zone PostgreSQL knows
      log::warn("unknown_time_zone", {{"run", run_id_}, {"time_zone", time_zone}});
      return today_utc();
    }
  }

  /// Waits for the batches being written, in order; the first failure is thrown here.
  void flush() {
    while (!pending_.empty()) wait_oldest();
  }

  /// Waits for the batches being written after the sync failed or stopped; a failure of a batch
  /// itself changes nothing more (it rolled back, and its cursor with it).
  void abandon() noexcept {
    while (!pending_.empty()) {
      try {
        wait_oldest();
      } catch (const std::exception& e) {
        log::warn("sync_write_abandoned", {{"run", run_id_}, {"detail", e.what()}});
      }
    }
  }

 private:
  // Write-behind: a batch is written (with its cursor, in one transaction) on another thread while
  // the connector downloads and parses the next one. A batch that moves a cursor waits for every
  // earlier one and is written alone, so a cursor never moves past rows that were not committed
  // (and a failure is thrown at the next write or flush, in batch order). Batches without a cursor
  // (a window's spend, whose cursor moves when the whole window is read) are written two at a
  // time: PostgreSQL inserts each on its own core. Memory stays at three batches.
  static constexpr std::size_t kParallelWrites = 2;

  template <typename Upsert>
  void write(Upsert upsert, const std::string& stream, const std::optional<json>& cursor) {
    if (cursor) {
      flush();
    } else {
      while (pending_.size() >= kParallelWrites) wait_oldest();
    }
    const auto read = std::exchange(unreported_read_, 0);
    pending_.push_back(std::async(
        std::launch::async, [this, upsert = std::move(upsert), stream, cursor, read, run = log::current_request_id()] {
          log::RequestIdScope scope(run);
          auto attempt = [&] {
            pool_.transact([&](pqxx::work& tx) {
              const auto counts = upsert(tx);
              if (cursor) models::integration::save_cursor(tx, scope_, integration_.id, stream, *cursor);
              models::integration::add_run_progress(tx, scope_, run_id_, read, counts.inserted + counts.updated);
            });
          };
          try {
            attempt();
          } catch (const pqxx::deadlock_detected&) {
            // Two batches each inserted a key the other repeats (overlapping pages): PostgreSQL
            // rolled this one back. Written again, it waits for the other and upserts what it stored.
            log::info("sync_write_retried", {{"run", run_id_}, {"reason", "deadlock"}});
            attempt();
          }
        }));
  }

  void wait_oldest() {
    auto oldest = std::move(pending_.front());
    pending_.pop_front();
    oldest.get();
  }

  // Waits between retries in short slices, so a stopping worker does not wait out a long back-off.
  void sleep(std::chrono::milliseconds d) {
    const auto until = std::chrono::steady_clock::now() + d;
    while (std::chrono::steady_clock::now() < until) {
      checkpoint();
      std::this_thread::sleep_for(std::min<std::chrono::milliseconds>(std::chrono::milliseconds(100), d));
    }
  }

  db::Pool& pool_;
  const Config& config_;
  const models::AccountScope& scope_;
  const models::integration::Integration& integration_;
  json credentials_;
  std::int64_t run_id_;
  const std::atomic<bool>& stopping_;
  connectors::HttpClient http_;
  std::int64_t unreported_read_ = 0;
  std::deque<std::future<void>> pending_;  ///< the batches being written, oldest first
};

}  // namespace

SyncOutcome SyncRunner::run(const models::AccountScope& scope, const models::job::Claimed& job) {
  const std::string public_id = job.payload.value("integration", "");
  const std::string trigger = job.payload.value("trigger", "scheduled") == "manual" ? "manual" : "scheduled";
  const auto integration =
      pool_.read([&](pqxx::read_transaction& tx) { return models::integration::find(tx, scope, public_id); });
  if (!integration || integration->status == "disconnected" || !integration->has_credentials) {
    log::info("sync_skipped", {{"integration", public_id}, {"reason", "disconnected or gone"}});
    return {};
  }
  const auto* provider = connectors::find_provider(integration->provider);
  auto connector = connectors::make_connector(integration->provider);
  const std::string label = provider != nullptr ? provider->label : integration->provider;
  if (!connector) {
    log::info("sync_skipped", {{"integration", public_id}, {"reason", "no connector for this provider yet"}});
    return {};
  }

  // Credentials first: a connection disconnected meanwhile is skipped before any run is recorded.
  const auto sealed = pool_.read(
      [&](pqxx::read_transaction& tx) { return models::integration::credentials(tx, scope, integration->id); });
  if (!sealed) return {};
  json credentials;
  std::optional<std::string> credentials_problem;
  try {
    credentials = json::parse(cipher_.open(*sealed, models::integration::credential_binding(scope, public_id)));
  } catch (const std::exception& e) {  // CredentialError, or a sealed value that is not JSON
    log::error("credentials_unreadable", {{"integration", public_id}, {"detail", e.what()}});
    credentials_problem = fmt::format("The stored {} credentials cannot be read. Reconnect {}.", label, label);
  }

  const auto run = pool_.transact([&](pqxx::work& tx) {
    return models::integration::start_run(tx, scope, integration->id, trigger, job.id, job.attempts);
  });
  auto finish = [&](const std::string& status, const std::optional<std::string>& error, bool needs_user) {
    pool_.transact([&](pqxx::work& tx) {
      models::integration::finish_run(tx, scope, run.id, status, error);
      if (status == "succeeded") {
        models::integration::mark_synced(tx, scope, integration->id);
      } else if (error) {
        models::integration::mark_failed(tx, scope, integration->id, *error, needs_user);
      }
    });
  };
  auto counted = [&](std::string_view outcome) { telemetry::sync_runs().with({integration->provider, outcome}).inc(); };
  log::RequestIdScope log_scope(run.public_id);
  if (credentials_problem) {
    counted("needs_user");
    finish("failed", credentials_problem, true);
    return {};
  }

  Context ctx(pool_, config_, scope, *integration, std::move(credentials), run.id, stopping_);
  log::info("sync_started",
            {{"integration", public_id}, {"provider", integration->provider}, {"attempt", job.attempts}});
  try {
    connector->sync(ctx);
    ctx.flush();  // the last batch's failure fails the run like any other
  } catch (const connectors::Cancelled&) {
    ctx.abandon();
    counted("cancelled");
    finish("cancelled", std::string("The worker stopped; the sync continues from where it left off."), false);
    return {SyncOutcome::Kind::give_back, {}, std::nullopt};
  } catch (const connectors::NeedsUser& e) {
    ctx.abandon();
    log::warn("sync_needs_user", {{"integration", public_id}, {"detail", e.what()}});
    counted("needs_user");
    finish("failed", std::string(e.what()), true);
    return {};
  } catch (const connectors::Transient& e) {
    ctx.abandon();
    log::warn("sync_failed", {{"integration", public_id}, {"detail", e.what()}, {"retryable", true}});
    counted("failed");
    finish("failed", fmt::format("{} (we will retry)", e.what()), false);
    return {SyncOutcome::Kind::retry, e.what(), e.retry_after()};
  } catch (const Error& e) {
    ctx.abandon();
    log::warn("sync_failed", {{"integration", public_id}, {"detail", e.internal_detail()}, {"retryable", true}});
    counted("failed");
    try {
      finish("failed", fmt::format("{} (we will retry)", e.public_message()), false);
    } catch (const std::exception&) {
      // The database is the problem; the job's lease lapses and another attempt records the run.
    }
    return {SyncOutcome::Kind::retry, e.public_message(), std::nullopt};
  } catch (const std::exception& e) {
    ctx.abandon();
    log::error("sync_failed", {{"integration", public_id}, {"detail", e.what()}, {"retryable", true}});
    counted("failed");
    finish("failed", fmt::format("The {} sync failed unexpectedly (we will retry).", label), false);
    return {SyncOutcome::Kind::retry, e.what(), std::nullopt};
  }
  finish("succeeded", std::nullopt, false);
  counted("succeeded");
  log::info("sync_succeeded", {{"integration", public_id}});
  return {};
}

}  // namespace otq::services
