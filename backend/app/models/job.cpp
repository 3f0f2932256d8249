// Job queue SQL. Every transition checks the lease token, so only the current holder moves a job.
#include "app/models/job.hpp"

#include <algorithm>
#include <cmath>

#include "app/security/random.hpp"

namespace otq::models::job {
namespace {

constexpr const char* kEnqueue = R"SQL(
INSERT INTO jobs (account_id, kind, unique_key, payload, max_attempts, priority, run_at)
VALUES ($1, $2, $3, $4::jsonb, $5, $6, now() + make_interval(secs => $7))
ON CONFLICT (unique_key) WHERE status IN ('queued', 'running') DO NOTHING
RETURNING id, status
)SQL";

constexpr const char* kExisting = R"SQL(
SELECT id, status FROM jobs WHERE unique_key = $1 AND status IN ('queued', 'running') AND account_id = $2
)SQL";

constexpr const char* kClaim = R"SQL(
UPDATE jobs j
   SET status = 'running', attempts = j.attempts + 1, lease_token = $1, locked_by = $2,
       locked_until = now() + make_interval(secs => $3), started_at = now()
  FROM (SELECT id FROM jobs WHERE status = 'queued' AND run_at <= now()
         ORDER BY priority DESC, run_at LIMIT 1 FOR UPDATE SKIP LOCKED) next
 WHERE j.id = next.id
RETURNING j.id, j.account_id, j.kind, j.payload::text, j.attempts, j.max_attempts
)SQL";

constexpr const char* kRenew = R"SQL(
UPDATE jobs SET locked_until = now() + make_interval(secs => $3)
 WHERE id = $1 AND lease_token = $2 AND status = 'running'
)SQL";

constexpr const char* kComplete = R"SQL(
UPDATE jobs SET status = 'succeeded', finished_at = now(), lease_token = NULL, locked_until = NULL, last_error = NULL
 WHERE id = $1 AND lease_token = $2 AND status = 'running'
)SQL";

constexpr const char* kFail = R"SQL(
UPDATE jobs
   SET status = CASE WHEN $4 AND attempts < max_attempts THEN 'queued' ELSE 'dead' END,
       run_at = CASE WHEN $4 AND attempts < max_attempts THEN now() + make_interval(secs => $5) ELSE run_at END,
       finished_at = CASE WHEN $4 AND attempts < max_attempts THEN NULL ELSE now() END,
       lease_token = NULL, locked_until = NULL, last_error = left($3, 2000)
 WHERE id = $1 AND lease_token = $2 AND status = 'running'
RETURNING status
)SQL";

constexpr const char* kRelease = R"SQL(
UPDATE jobs SET status = 'queued', attempts = greatest(attempts - 1, 0), lease_token = NULL, locked_until = NULL,
       run_at = now()
 WHERE id = $1 AND lease_token = $2 AND status = 'running'
)SQL";

// The worker holding these jobs stopped renewing their leases: it died, hung or lost the database.
constexpr const char* kReap = R"SQL(
UPDATE jobs j
   SET status = CASE WHEN j.attempts < j.max_attempts THEN 'queued' ELSE 'dead' END,
       finished_at = CASE WHEN j.attempts < j.max_attempts THEN NULL ELSE now() END,
       run_at = now(), lease_token = NULL, locked_until = NULL,
       last_error = 'the worker running it stopped responding (lease expired on ' || coalesce(j.locked_by, '?') || ')'
  FROM (SELECT id FROM jobs WHERE status = 'running' AND locked_until < now()
         ORDER BY locked_until LIMIT $1 FOR UPDATE SKIP LOCKED) lapsed
 WHERE j.id = lapsed.id
RETURNING j.id
)SQL";

}  // namespace

Enqueued enqueue(pqxx::transaction_base& tx, const AccountScope& scope, const NewJob& job) {
  const auto rows = tx.exec_params(kEnqueue, scope.account_id(), job.kind, job.unique_key, job.payload.dump(),
                                   job.max_attempts, job.priority, static_cast<double>(job.delay.count()));
  if (!rows.empty()) return {rows[0][0].as<std::int64_t>(), true, rows[0][1].as<std::string>()};
  const auto existing = tx.exec_params(kExisting, job.unique_key, scope.account_id());
  if (existing.empty()) return {0, false, "finished"};  // it finished between the two statements
  return {existing[0][0].as<std::int64_t>(), false, existing[0][1].as<std::string>()};
}

std::optional<Claimed> claim(pqxx::transaction_base& tx, const std::string& worker_id, std::chrono::seconds lease) {
  std::string token = security::random_hex(16);
  const auto rows = tx.exec_params(kClaim, token, worker_id, static_cast<double>(lease.count()));
  if (rows.empty()) return std::nullopt;
  const auto& r = rows[0];
  Claimed c;
  c.id = r[0].as<std::int64_t>();
  if (!r[1].is_null()) c.account_id = r[1].as<std::int64_t>();
  c.kind = r[2].as<std::string>();
  c.payload = nlohmann::json::parse(r[3].as<std::string>());
  c.attempts = r[4].as<int>();
  c.max_attempts = r[5].as<int>();
  c.lease_token = std::move(token);
  return c;
}

bool renew(pqxx::transaction_base& tx, std::int64_t id, const std::string& lease_token, std::chrono::seconds lease) {
  return tx.exec_params(kRenew, id, lease_token, static_cast<double>(lease.count())).affected_rows() == 1;
}

bool complete(pqxx::transaction_base& tx, std::int64_t id, const std::string& lease_token) {
  return tx.exec_params(kComplete, id, lease_token).affected_rows() == 1;
}

FailOutcome fail(pqxx::transaction_base& tx, std::int64_t id, const std::string& lease_token, const std::string& error,
                 bool retryable, std::chrono::seconds backoff_for) {
  const auto rows = tx.exec_params(kFail, id, lease_token, error, retryable, static_cast<double>(backoff_for.count()));
  if (rows.empty()) return FailOutcome::lost;
  return rows[0][0].as<std::string>() == "queued" ? FailOutcome::retry : FailOutcome::dead;
}

bool release(pqxx::transaction_base& tx, std::int64_t id, const std::string& lease_token) {
  return tx.exec_params(kRelease, id, lease_token).affected_rows() == 1;
}

std::vector<std::int64_t> reap_expired(pqxx::transaction_base& tx, int limit) {
  std::vector<std::int64_t> ids;
  for (const auto& r : tx.exec_params(kReap, limit)) ids.push_back(r[0].as<std::int64_t>());
  return ids;
}

// Only queued and running jobs: both are covered by partial indexes, so the scrape stays cheap
// however many finished jobs are kept.
constexpr const char* kQueueStats = R"SQL(
SELECT kind,
       count(*) FILTER (WHERE status = 'queued' AND run_at <= now()),
       count(*) FILTER (WHERE status = 'queued' AND run_at > now()),
       count(*) FILTER (WHERE status = 'running'),
       COALESCE(EXTRACT(EPOCH FROM now() - min(run_at) FILTER (WHERE status = 'queued' AND run_at <= now())), 0)
  FROM jobs
 WHERE status IN ('queued', 'running')
 GROUP BY kind
 ORDER BY kind)SQL";

std::vector<KindStats> queue_stats(pqxx::transaction_base& tx) {
  std::vector<KindStats> out;
  for (const auto& r : tx.exec(kQueueStats)) {
    out.push_back({r[0].as<std::string>(), r[1].as<std::int64_t>(), r[2].as<std::int64_t>(), r[3].as<std::int64_t>(),
                   r[4].as<double>()});
  }
  return out;
}

std::chrono::seconds backoff(int attempt, double unit, std::chrono::seconds base, std::chrono::seconds cap) {
  const double exp = std::ldexp(static_cast<double>(base.count()), std::clamp(attempt - 1, 0, 30));
  const double full = std::min(exp, static_cast<double>(cap.count()));
  const double jittered = full / 2 + (full / 2) * std::clamp(unit, 0.0, 1.0);
  return std::chrono::seconds(static_cast<std::int64_t>(std::max(1.0, std::round(jittered))));
}

}  // namespace otq::models::job
