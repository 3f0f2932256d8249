// The worker process's threads. Correctness rests on the queue's SQL (models/job.cpp); this file
// only decides when to call it.
#include "app/services/worker.hpp"

#include <random>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "app/connectors/registry.hpp"
#include "app/errors.hpp"
#include "app/logging.hpp"
#include "app/models/integration.hpp"
#include "app/services/shopify_webhooks.hpp"
#include "app/services/sync_runner.hpp"
#include "app/telemetry.hpp"

namespace otq::services {
namespace {

constexpr const char* kSyncKind = "integration.sync";
// How often the scheduler looks for due integrations (and reaps lapsed leases, at least twice a lease).
constexpr std::chrono::seconds kScheduleEvery{30};

// Due connections of providers that have a connector, moved to their next slot and enqueued, in
// one statement: two schedulers never enqueue the same slot (SKIP LOCKED, then the unique key).
constexpr const char* kScheduleDue = R"SQL(
WITH due AS (
  SELECT account_id, id FROM integrations
   WHERE status IN ('pending', 'active') AND next_sync_at <= now() AND credentials_ciphertext IS NOT NULL
     AND provider = ANY($1::text[]) AND NOT paused_by_plan
   ORDER BY next_sync_at LIMIT 500 FOR UPDATE SKIP LOCKED),
moved AS (
  UPDATE integrations i SET next_sync_at = now() + make_interval(mins => i.sync_frequency_minutes)
    FROM due WHERE i.account_id = due.account_id AND i.id = due.id
  RETURNING i.account_id, i.public_id)
INSERT INTO jobs (account_id, kind, unique_key, payload, max_attempts)
SELECT account_id, 'integration.sync', 'sync:' || public_id,
       jsonb_build_object('integration', public_id, 'trigger', 'scheduled'), $2
  FROM moved
ON CONFLICT (unique_key) WHERE status IN ('queued', 'running') DO NOTHING
)SQL";

std::vector<std::string> syncing_providers() {
  std::vector<std::string> out;
  for (const auto& p : connectors::providers()) {
    if (p.syncs) out.push_back(p.id);
  }
  return out;
}

}  // namespace

Worker::Worker(db::Pool& pool, const Config& config, security::CredentialCipher cipher, std::string worker_id)
    : pool_(pool), config_(config), cipher_(std::move(cipher)), worker_id_(std::move(worker_id)) {}

int Worker::schedule_due() {
  return pool_.transact([&](pqxx::work& tx) {
    const auto r = tx.exec_params(kScheduleDue, db::text_array(syncing_providers()), config_.job_max_attempts);
    // Housekeeping: expired OAuth states are useless after a day, finished jobs after 30 days (runs
    // keep the history). Oldest ids first, bounded, so each pass is a short indexed delete.
    tx.exec("DELETE FROM oauth_states WHERE expires_at < now() - interval '1 day'");
    tx.exec(
        "DELETE FROM jobs WHERE id IN (SELECT id FROM jobs WHERE status IN ('succeeded', 'cancelled', 'dead') "
        "AND finished_at < now() - interval '30 days' ORDER BY id LIMIT 1000)");
    return static_cast<int>(r.affected_rows());
  });
}

int Worker::reap() {
  return pool_.transact([&](pqxx::work& tx) {
    const auto ids = models::job::reap_expired(tx);
    for (const auto id : ids) {
      const auto row = tx.exec_params1("SELECT account_id, status FROM jobs WHERE id = $1", id);
      log::warn("job_lease_expired", {{"job", id}, {"now", row[1].as<std::string>()}});
      if (row[0].is_null()) continue;
      const models::AccountScope scope(row[0].as<std::int64_t>());
      models::integration::fail_orphaned_runs(tx, scope, id, "The worker running this sync stopped; it was retried.");
    }
    return static_cast<int>(ids.size());
  });
}

bool Worker::run_one() {
  const auto job =
      pool_.transact([&](pqxx::work& tx) { return models::job::claim(tx, worker_id_, config_.job_lease); });
  if (!job) return false;
  {
    std::lock_guard lock(mutex_);
    in_flight_[job->id] = job->lease_token;
  }
  execute(*job);
  {
    std::lock_guard lock(mutex_);
    in_flight_.erase(job->id);
  }
  return true;
}

void Worker::execute(const models::job::Claimed& job) {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  log::info("job_started", {{"job", job.id}, {"kind", job.kind}, {"attempt", job.attempts}});
  SyncOutcome outcome;
  if (job.kind == kSyncKind && job.account_id) {
    SyncRunner runner(pool_, config_, cipher_, stopping_);
    const models::AccountScope scope(*job.account_id);
    try {
      outcome = runner.run(scope, job);
    } catch (const std::exception& e) {
      outcome = {SyncOutcome::Kind::retry, e.what(), std::nullopt};
    } catch (...) {  // a thread must never end the process; the job is retried
      outcome = {SyncOutcome::Kind::retry, "the sync failed with an unknown exception", std::nullopt};
    }
  } else if (job.kind == ShopifyWebhooks::kJobKind && job.account_id) {
    try {
      const std::string applied =
          ShopifyWebhooks(pool_, config_).apply(models::AccountScope(*job.account_id), job.payload);
      log::info("shopify_webhook_applied", {{"job", job.id}, {"outcome", applied}});
      outcome = {SyncOutcome::Kind::done, {}, std::nullopt};
    } catch (const std::exception& e) {
      outcome = {SyncOutcome::Kind::retry, e.what(), std::nullopt};
    }
  } else {
    outcome = {SyncOutcome::Kind::retry, fmt::format("no handler for job kind '{}'", job.kind), std::nullopt};
  }
  std::string_view finished;
  try {
    pool_.transact([&](pqxx::work& tx) {
      switch (outcome.kind) {
        case SyncOutcome::Kind::done:
          if (!models::job::complete(tx, job.id, job.lease_token)) log::warn("job_lease_lost", {{"job", job.id}});
          finished = "done";
          break;
        case SyncOutcome::Kind::give_back:
          models::job::release(tx, job.id, job.lease_token);
          finished = "given_back";
          break;
        case SyncOutcome::Kind::retry: {
          auto wait = models::job::backoff(job.attempts, std::uniform_real_distribution<double>(0, 1)(rng),
                                           config_.job_retry_base);
          if (outcome.retry_after) wait = std::max(wait, *outcome.retry_after);
          const auto result = models::job::fail(tx, job.id, job.lease_token, outcome.error, true, wait);
          finished = result == models::job::FailOutcome::dead ? "dead" : "retry";
          if (result == models::job::FailOutcome::dead) {
            log::error("job_dead",
                       {{"job", job.id}, {"kind", job.kind}, {"attempts", job.attempts}, {"error", outcome.error}});
          } else {
            log::info("job_retry_scheduled", {{"job", job.id}, {"in_seconds", wait.count()}});
          }
          break;
        }
      }
    });
  } catch (const std::exception& e) {
    // The database is down: the lease lapses and the job is retried by whoever is alive then.
    log::error("job_outcome_not_saved", {{"job", job.id}, {"detail", e.what()}});
    return;
  }
  telemetry::jobs_finished().with({job.kind, finished}).inc();
}

void Worker::wait(std::chrono::milliseconds d) {
  std::unique_lock lock(mutex_);
  wake_.wait_for(lock, d, [&] { return stopping_.load(); });
}

void Worker::consume() {
  while (!stopping_.load()) {
    bool worked = false;
    try {
      worked = run_one();
    } catch (const std::exception& e) {
      log::warn("worker_poll_failed", {{"detail", e.what()}});
    } catch (...) {
      log::error("worker_poll_failed", {{"detail", "unknown exception"}});
    }
    if (!worked) wait(config_.job_poll);
  }
}

void Worker::keep_leases() {
  const auto every = std::max<std::chrono::milliseconds>(std::chrono::milliseconds(500), config_.job_lease / 3);
  while (!stopping_.load() || [&] {
    std::lock_guard lock(mutex_);
    return !in_flight_.empty();
  }()) {
    std::map<std::int64_t, std::string> jobs;
    {
      std::lock_guard lock(mutex_);
      jobs = in_flight_;
    }
    for (const auto& [id, token] : jobs) {
      try {
        pool_.transact([&](pqxx::work& tx) { models::job::renew(tx, id, token, config_.job_lease); });
      } catch (const std::exception& e) {
        log::warn("lease_renewal_failed", {{"job", id}, {"detail", e.what()}});
      }
    }
    std::unique_lock lock(mutex_);
    wake_.wait_for(lock, every, [&] { return stopping_.load() && in_flight_.empty(); });
  }
}

void Worker::schedule_loop() {
  while (!stopping_.load()) {
    try {
      if (const int n = schedule_due(); n > 0) {
        log::info("syncs_scheduled", {{"count", n}});
        wake_.notify_all();
      }
      if (const int n = reap(); n > 0) wake_.notify_all();
    } catch (const std::exception& e) {
      log::warn("scheduler_failed", {{"detail", e.what()}});
    }
    wait(std::min<std::chrono::milliseconds>(
        kScheduleEvery, std::max<std::chrono::milliseconds>(config_.job_poll, config_.job_lease / 2)));
  }
}

void Worker::run() {
  log::info("worker_started", {{"worker", worker_id_},
                               {"consumers", config_.job_workers},
                               {"lease_seconds", config_.job_lease.count()},
                               {"max_attempts", config_.job_max_attempts}});
  std::vector<std::thread> threads;
  threads.emplace_back([this] { schedule_loop(); });
  threads.emplace_back([this] { keep_leases(); });
  for (std::size_t i = 0; i < config_.job_workers; ++i) threads.emplace_back([this] { consume(); });
  for (auto& t : threads) t.join();
  log::info("worker_stopped", {{"worker", worker_id_}});
}

void Worker::stop() {
  stopping_.store(true);
  std::lock_guard lock(mutex_);
  wake_.notify_all();
}

}  // namespace otq::services
