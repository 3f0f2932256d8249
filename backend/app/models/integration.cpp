// Integration, sync run and cursor SQL; every statement filters by the scope's account.
#include "app/models/integration.hpp"

#include <fmt/format.h>

#include "app/security/random.hpp"

namespace otq::models::integration {
namespace {

#define OTQ_TS(col) "to_char(" col " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"

constexpr const char* kColumns =
    "i.id, i.public_id, i.provider, i.external_account_id, i.display_name, i.status, i.settings::text, "
    "i.sync_frequency_minutes, i.credentials_ciphertext IS NOT NULL, " OTQ_TS("i.last_synced_at") ", i.last_error, " OTQ_TS(
        "i.last_error_at") ", " OTQ_TS("i.next_sync_at") ", " OTQ_TS("i.connected_at") ", " OTQ_TS("i.disconnected_at") ", " OTQ_TS("i.created_at") ", "
    "(SELECT j.status FROM jobs j WHERE j.unique_key = 'sync:' || i.public_id AND j.status IN ('queued', 'running') "
    "   AND j.account_id = i.account_id), "
    "(SELECT r.status FROM sync_runs r WHERE r.account_id = i.account_id AND r.integration_id = i.id "
    "   ORDER BY r.queued_at DESC, r.id DESC LIMIT 1), i.paused_by_plan";

std::optional<std::string> opt(const pqxx::field& f) {
  if (f.is_null()) return std::nullopt;
  return f.as<std::string>();
}

Integration from_row(const pqxx::row& r) {
  Integration i;
  i.id = r[0].as<std::int64_t>();
  i.public_id = r[1].as<std::string>();
  i.provider = r[2].as<std::string>();
  i.external_account_id = r[3].as<std::string>();
  i.display_name = opt(r[4]);
  i.status = r[5].as<std::string>();
  i.settings = nlohmann::json::parse(r[6].as<std::string>());
  i.sync_frequency_minutes = r[7].as<int>();
  i.has_credentials = r[8].as<bool>();
  i.last_synced_at = opt(r[9]);
  i.last_error = opt(r[10]);
  i.last_error_at = opt(r[11]);
  i.next_sync_at = opt(r[12]);
  i.connected_at = opt(r[13]);
  i.disconnected_at = opt(r[14]);
  i.created_at = r[15].as<std::string>();
  i.job_status = opt(r[16]);
  i.last_run_status = opt(r[17]);
  i.paused_by_plan = r[18].as<bool>();
  return i;
}

std::string select_where(std::string_view where) {
  return fmt::format("SELECT {} FROM integrations i WHERE i.account_id = $1 AND {}", kColumns, where);
}

constexpr const char* kRunColumns =
    "r.public_id, r.kind, r.status, r.rows_read, r.rows_written, r.error, r.attempt, " OTQ_TS(
        "r.queued_at") ", " OTQ_TS("r.started_at") ", " OTQ_TS("r.finished_at");

#undef OTQ_TS

}  // namespace

std::vector<Integration> list(pqxx::transaction_base& tx, const AccountScope& scope) {
  std::vector<Integration> out;
  for (const auto& r : tx.exec_params(select_where("true ORDER BY i.created_at DESC, i.id DESC"), scope.account_id())) {
    out.push_back(from_row(r));
  }
  return out;
}

std::optional<Integration> find(pqxx::transaction_base& tx, const AccountScope& scope, const std::string& public_id) {
  const auto rows = tx.exec_params(select_where("i.public_id = $2"), scope.account_id(), public_id);
  if (rows.empty()) return std::nullopt;
  return from_row(rows[0]);
}

std::optional<Integration> find_by_id(pqxx::transaction_base& tx, const AccountScope& scope, std::int64_t id) {
  const auto rows = tx.exec_params(select_where("i.id = $2"), scope.account_id(), id);
  if (rows.empty()) return std::nullopt;
  return from_row(rows[0]);
}

Integration upsert_connected(pqxx::transaction_base& tx, const AccountScope& scope, const std::string& provider,
                             const std::string& external_account_id, const std::optional<std::string>& display_name,
                             const nlohmann::json& settings, std::optional<std::int64_t> user_id) {
  const auto row = tx.exec_params1(R"SQL(
INSERT INTO integrations AS i (account_id, public_id, provider, external_account_id, display_name, status, settings,
                               next_sync_at, connected_by, connected_at)
VALUES ($1, $2, $3, $4, $5, 'pending', $6::jsonb, now(), $7, now())
ON CONFLICT (account_id, provider, external_account_id) DO UPDATE SET
  display_name = coalesce(EXCLUDED.display_name, i.display_name), status = 'pending',
  settings = i.settings || EXCLUDED.settings, next_sync_at = now(), connected_by = EXCLUDED.connected_by,
  connected_at = now(), disconnected_at = NULL, last_error = NULL, last_error_at = NULL, paused_by_plan = false
RETURNING i.id
)SQL",
                                   scope.account_id(), security::new_public_id("int"), provider, external_account_id,
                                   display_name, settings.dump(), user_id);
  return *find_by_id(tx, scope, row[0].as<std::int64_t>());
}

std::string credential_binding(const AccountScope& scope, const std::string& public_id) {
  return fmt::format("otq-credentials-v1|{}|{}", scope.account_id(), public_id);
}

void set_credentials(pqxx::transaction_base& tx, const AccountScope& scope, std::int64_t id,
                     const security::SealedCredential& sealed) {
  tx.exec_params(
      "UPDATE integrations SET credentials_ciphertext = $3, credentials_key_id = $4 WHERE account_id = $1 AND id = $2",
      scope.account_id(), id, pqxx::binarystring(sealed.ciphertext), sealed.key_id);
}

std::optional<security::SealedCredential> credentials(pqxx::transaction_base& tx, const AccountScope& scope,
                                                      std::int64_t id) {
  const auto rows = tx.exec_params(
      "SELECT credentials_key_id, credentials_ciphertext FROM integrations "
      "WHERE account_id = $1 AND id = $2 AND credentials_ciphertext IS NOT NULL",
      scope.account_id(), id);
  if (rows.empty()) return std::nullopt;
  return security::SealedCredential{rows[0][0].as<std::string>(), pqxx::binarystring(rows[0][1]).str()};
}

std::optional<Integration> update(pqxx::transaction_base& tx, const AccountScope& scope, const std::string& public_id,
                                  const std::optional<nlohmann::json>& settings, std::optional<int> frequency_minutes) {
  const auto rows =
      tx.exec_params(R"SQL(
UPDATE integrations SET
  settings = CASE WHEN $3::jsonb IS NULL THEN settings ELSE jsonb_strip_nulls(settings || $3::jsonb) END,
  sync_frequency_minutes = coalesce($4, sync_frequency_minutes),
  next_sync_at = CASE WHEN $4::int IS NULL OR status NOT IN ('pending', 'active') THEN next_sync_at
                      ELSE least(coalesce(next_sync_at, now()),
                                 coalesce(last_synced_at, now()) + make_interval(mins => $4::int)) END
WHERE account_id = $1 AND public_id = $2 AND status <> 'disconnected'
RETURNING id
)SQL",
                     scope.account_id(), public_id,
                     settings ? std::optional<std::string>(settings->dump()) : std::nullopt, frequency_minutes);
  if (rows.empty()) return std::nullopt;
  return find_by_id(tx, scope, rows[0][0].as<std::int64_t>());
}

bool disconnect(pqxx::transaction_base& tx, const AccountScope& scope, const std::string& public_id) {
  const auto rows = tx.exec_params(R"SQL(
UPDATE integrations SET status = 'disconnected', credentials_ciphertext = NULL, credentials_key_id = NULL,
       next_sync_at = NULL, disconnected_at = now(), paused_by_plan = false
 WHERE account_id = $1 AND public_id = $2
RETURNING id
)SQL",
                                   scope.account_id(), public_id);
  if (rows.empty()) return false;
  cancel_queued_sync(tx, scope, public_id, "the integration was disconnected");
  return true;
}

void cancel_queued_sync(pqxx::transaction_base& tx, const AccountScope& scope, const std::string& public_id,
                        const std::string& reason) {
  tx.exec_params(
      "UPDATE jobs SET status = 'cancelled', finished_at = now(), last_error = $3 "
      "WHERE account_id = $1 AND unique_key = 'sync:' || $2 AND status = 'queued'",
      scope.account_id(), public_id, reason);
}

void set_paused_by_plan(pqxx::transaction_base& tx, const AccountScope& scope, std::int64_t id, bool paused) {
  const auto row = tx.exec_params1(
      "UPDATE integrations SET paused_by_plan = $3, "
      "       next_sync_at = CASE WHEN NOT $3 AND status IN ('pending', 'active') THEN now() ELSE next_sync_at END "
      " WHERE account_id = $1 AND id = $2 RETURNING public_id",
      scope.account_id(), id, paused);
  if (paused) cancel_queued_sync(tx, scope, row[0].as<std::string>(), "paused: beyond the plan's connections");
}

void mark_synced(pqxx::transaction_base& tx, const AccountScope& scope, std::int64_t id) {
  tx.exec_params(
      "UPDATE integrations SET status = CASE WHEN status = 'disconnected' THEN status ELSE 'active' END, "
      "last_synced_at = now(), last_error = NULL, last_error_at = NULL WHERE account_id = $1 AND id = $2",
      scope.account_id(), id);
}

void mark_failed(pqxx::transaction_base& tx, const AccountScope& scope, std::int64_t id, const std::string& message,
                 bool needs_user) {
  tx.exec_params(
      "UPDATE integrations SET last_error = left($3, 1000), last_error_at = now(), "
      "status = CASE WHEN $4 AND status <> 'disconnected' THEN 'error' ELSE status END "
      "WHERE account_id = $1 AND id = $2",
      scope.account_id(), id, message, needs_user);
}

RunId start_run(pqxx::transaction_base& tx, const AccountScope& scope, std::int64_t integration_id,
                const std::string& kind, std::int64_t job_id, int attempt) {
  // One integration never syncs twice at once (the job's unique key), so a run of it still marked
  // running belongs to an attempt that ended without recording its outcome.
  tx.exec_params(
      "UPDATE sync_runs SET status = 'failed', finished_at = now(), "
      "error = coalesce(error, 'The previous attempt ended without recording its outcome; it was retried.') "
      "WHERE account_id = $1 AND integration_id = $2 AND status = 'running'",
      scope.account_id(), integration_id);
  const std::string public_id = security::new_public_id("sync");
  const auto row = tx.exec_params1(
      "INSERT INTO sync_runs (account_id, public_id, integration_id, kind, status, started_at, job_id, attempt) "
      "VALUES ($1, $2, $3, $4, 'running', now(), $5, $6) RETURNING id",
      scope.account_id(), public_id, integration_id, kind, job_id, attempt);
  return {row[0].as<std::int64_t>(), public_id};
}

void add_run_progress(pqxx::transaction_base& tx, const AccountScope& scope, std::int64_t run_id,
                      std::int64_t rows_read, std::int64_t rows_written) {
  tx.exec_params(
      "UPDATE sync_runs SET rows_read = rows_read + $3, rows_written = rows_written + $4 "
      "WHERE account_id = $1 AND id = $2",
      scope.account_id(), run_id, rows_read, rows_written);
}

void finish_run(pqxx::transaction_base& tx, const AccountScope& scope, std::int64_t run_id, const std::string& status,
                const std::optional<std::string>& error) {
  tx.exec_params(
      "UPDATE sync_runs SET status = $3, error = left($4, 2000), finished_at = now() "
      "WHERE account_id = $1 AND id = $2 AND status = 'running'",
      scope.account_id(), run_id, status, error);
}

void fail_orphaned_runs(pqxx::transaction_base& tx, const AccountScope& scope, std::int64_t job_id,
                        const std::string& error) {
  tx.exec_params(
      "UPDATE sync_runs SET status = 'failed', error = $3, finished_at = now() "
      "WHERE account_id = $1 AND job_id = $2 AND status = 'running'",
      scope.account_id(), job_id, error);
}

std::vector<Run> runs(pqxx::transaction_base& tx, const AccountScope& scope, std::int64_t integration_id, int limit,
                      const std::optional<std::string>& before) {
  const std::string sql = fmt::format(R"SQL(
SELECT {} FROM sync_runs r
 WHERE r.account_id = $1 AND r.integration_id = $2
   AND ($4::text IS NULL OR r.id < (SELECT b.id FROM sync_runs b WHERE b.account_id = $1 AND b.public_id = $4::text))
 ORDER BY r.id DESC LIMIT $3
)SQL",
                                      kRunColumns);
  std::vector<Run> out;
  for (const auto& r : tx.exec_params(sql, scope.account_id(), integration_id, limit, before)) {
    Run run;
    run.public_id = r[0].as<std::string>();
    run.kind = r[1].as<std::string>();
    run.status = r[2].as<std::string>();
    run.rows_read = r[3].as<std::int64_t>();
    run.rows_written = r[4].as<std::int64_t>();
    run.error = opt(r[5]);
    if (!r[6].is_null()) run.attempt = r[6].as<int>();
    run.queued_at = r[7].as<std::string>();
    run.started_at = opt(r[8]);
    run.finished_at = opt(r[9]);
    out.push_back(std::move(run));
  }
  return out;
}

std::optional<nlohmann::json> cursor(pqxx::transaction_base& tx, const AccountScope& scope, std::int64_t integration_id,
                                     const std::string& stream) {
  const auto rows = tx.exec_params(
      "SELECT cursor::text FROM sync_cursors WHERE account_id = $1 AND integration_id = $2 AND stream = $3",
      scope.account_id(), integration_id, stream);
  if (rows.empty()) return std::nullopt;
  return nlohmann::json::parse(rows[0][0].as<std::string>());
}

void save_cursor(pqxx::transaction_base& tx, const AccountScope& scope, std::int64_t integration_id,
                 const std::string& stream, const nlohmann::json& cursor) {
  tx.exec_params(R"SQL(
INSERT INTO sync_cursors (account_id, integration_id, stream, cursor) VALUES ($1, $2, $3, $4::jsonb)
ON CONFLICT (account_id, integration_id, stream) DO UPDATE SET cursor = EXCLUDED.cursor, updated_at = now()
)SQL",
                 scope.account_id(), integration_id, stream, cursor.dump());
}

}  // namespace otq::models::integration
