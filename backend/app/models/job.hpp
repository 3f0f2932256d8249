// The PostgreSQL job queue (migration 0006, docs/adr/0006-job-queue.md).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "app/models/scope.hpp"

namespace otq::models::job {

struct NewJob {
  std::string kind;                       ///< e.g. "integration.sync"
  std::optional<std::string> unique_key;  ///< one queued-or-running job per key
  nlohmann::json payload = nlohmann::json::object();
  int max_attempts = 5;
  int priority = 0;  ///< higher runs first (a user's "Sync now" before the hourly schedule)
  std::chrono::seconds delay{0};
};

struct Enqueued {
  std::int64_t id = 0;
  bool created = false;  ///< false: a job with the same unique key was already queued or running
  std::string status;    ///< of the new job, or of the one already there
};

/// A tenant job, enqueued on behalf of the account in `scope`.
Enqueued enqueue(pqxx::transaction_base& tx, const AccountScope& scope, const NewJob& job);

/// A job a worker holds. `lease_token` proves it: every later call must present it, so a worker
/// whose lease lapsed (and whose job went to another worker) can no longer change the job.
struct Claimed {
  std::int64_t id = 0;
  std::optional<std::int64_t> account_id;
  std::string kind;
  nlohmann::json payload;
  int attempts = 0;  ///< including this one
  int max_attempts = 0;
  std::string lease_token;
};

/// Takes the most urgent ready job (FOR UPDATE SKIP LOCKED: concurrent workers never take the
/// same one), or nullopt when none is ready.
std::optional<Claimed> claim(pqxx::transaction_base& tx, const std::string& worker_id, std::chrono::seconds lease);

/// Extends the lease; false when the job is no longer this lease's.
bool renew(pqxx::transaction_base& tx, std::int64_t id, const std::string& lease_token, std::chrono::seconds lease);

/// Marks the job done; false when the lease was lost (another worker owns it now).
bool complete(pqxx::transaction_base& tx, std::int64_t id, const std::string& lease_token);

enum class FailOutcome { retry, dead, lost };
/// Records the failure. With attempts left and `retryable`, the job is queued again after
/// `backoff`; otherwise it is dead (kept, with its last error, for an operator).
FailOutcome fail(pqxx::transaction_base& tx, std::int64_t id, const std::string& lease_token, const std::string& error,
                 bool retryable, std::chrono::seconds backoff);

/// Gives the job back without counting the attempt (the worker is shutting down).
bool release(pqxx::transaction_base& tx, std::int64_t id, const std::string& lease_token);

/// Jobs whose lease lapsed (their worker died or hung): queued again, or dead when out of
/// attempts. Returns their ids.
std::vector<std::int64_t> reap_expired(pqxx::transaction_base& tx, int limit = 100);

/// The queue as an operator sees it, per kind (across every account).
struct KindStats {
  std::string kind;
  std::int64_t ready = 0;           ///< queued and due now
  std::int64_t scheduled = 0;       ///< queued for later (retries, delays)
  std::int64_t running = 0;         ///< leased by a worker
  double oldest_ready_seconds = 0;  ///< how long the longest-waiting due job has been due
};
std::vector<KindStats> queue_stats(pqxx::transaction_base& tx);

/// The back-off before attempt `attempt + 1`: base·2^(attempt-1), capped, with "equal jitter"
/// (half fixed, half random) so retries of many jobs spread out. `unit` in [0, 1).
std::chrono::seconds backoff(int attempt, double unit, std::chrono::seconds base = std::chrono::seconds(30),
                             std::chrono::seconds cap = std::chrono::hours(6));

}  // namespace otq::models::job
