// Integrations (connections to ad platforms and stores), their sync runs and cursors.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "app/models/scope.hpp"
#include "app/security/credential_cipher.hpp"

namespace otq::models::integration {

struct Integration {
  std::int64_t id = 0;  ///< internal; never leaves the server
  std::string public_id;
  std::string provider;
  std::string external_account_id;
  std::optional<std::string> display_name;
  std::string status;  ///< pending | active | error | disconnected
  nlohmann::json settings = nlohmann::json::object();
  int sync_frequency_minutes = 60;
  bool has_credentials = false;
  std::optional<std::string> last_synced_at;  ///< RFC 3339 UTC: last successful sync
  std::optional<std::string> last_error;
  std::optional<std::string> last_error_at;
  std::optional<std::string> next_sync_at;
  std::optional<std::string> connected_at;
  std::optional<std::string> disconnected_at;
  std::string created_at;
  std::optional<std::string> job_status;  ///< queued | running: the sync job, if one is pending
  std::optional<std::string> last_run_status;
  bool paused_by_plan = false;  ///< kept and shown, not synced: beyond the plan's connections
};

/// Every integration of the account, newest first.
std::vector<Integration> list(pqxx::transaction_base& tx, const AccountScope& scope);

std::optional<Integration> find(pqxx::transaction_base& tx, const AccountScope& scope, const std::string& public_id);
std::optional<Integration> find_by_id(pqxx::transaction_base& tx, const AccountScope& scope, std::int64_t id);

/// Creates the connection, or revives it (same provider and external account): status pending,
/// due for a first sync now. Credentials are stored by set_credentials, whose binding needs the id.
Integration upsert_connected(pqxx::transaction_base& tx, const AccountScope& scope, const std::string& provider,
                             const std::string& external_account_id, const std::optional<std::string>& display_name,
                             const nlohmann::json& settings, std::optional<std::int64_t> user_id);

/// What a sealed credential is bound to (its AES-GCM associated data): this row and no other.
std::string credential_binding(const AccountScope& scope, const std::string& public_id);

void set_credentials(pqxx::transaction_base& tx, const AccountScope& scope, std::int64_t id,
                     const security::SealedCredential& sealed);
std::optional<security::SealedCredential> credentials(pqxx::transaction_base& tx, const AccountScope& scope,
                                                      std::int64_t id);

/// Changes settings and/or frequency (nullopt keeps); a new frequency reschedules the next sync.
std::optional<Integration> update(pqxx::transaction_base& tx, const AccountScope& scope, const std::string& public_id,
                                  const std::optional<nlohmann::json>& settings, std::optional<int> frequency_minutes);

/// Deletes the credentials, stops scheduling and cancels a queued sync; history stays.
bool disconnect(pqxx::transaction_base& tx, const AccountScope& scope, const std::string& public_id);

/// Outcome of a sync, on the integration.
/// Cancels the integration's queued (not running) sync job, if any.
void cancel_queued_sync(pqxx::transaction_base& tx, const AccountScope& scope, const std::string& public_id,
                        const std::string& reason);

/// Pauses (kept, not scheduled, its queued sync cancelled) or resumes (due at once) a connection
/// the plan does not, or again does, cover.
void set_paused_by_plan(pqxx::transaction_base& tx, const AccountScope& scope, std::int64_t id, bool paused);

void mark_synced(pqxx::transaction_base& tx, const AccountScope& scope, std::int64_t id);
/// `needs_user`: the user must act (reconnect, fix a setting): status error, no more scheduled syncs.
void mark_failed(pqxx::transaction_base& tx, const AccountScope& scope, std::int64_t id, const std::string& message,
                 bool needs_user);

// Sync runs ------------------------------------------------------------------------------------

struct Run {
  std::string public_id;
  std::string kind;
  std::string status;
  std::int64_t rows_read = 0;
  std::int64_t rows_written = 0;
  std::optional<std::string> error;
  std::optional<int> attempt;
  std::string queued_at;
  std::optional<std::string> started_at;
  std::optional<std::string> finished_at;
};

struct RunId {
  std::int64_t id = 0;
  std::string public_id;
};

/// Starts a run, first closing as failed any run of the integration still marked running (an
/// attempt that died without recording its outcome).
RunId start_run(pqxx::transaction_base& tx, const AccountScope& scope, std::int64_t integration_id,
                const std::string& kind, std::int64_t job_id, int attempt);
void add_run_progress(pqxx::transaction_base& tx, const AccountScope& scope, std::int64_t run_id,
                      std::int64_t rows_read, std::int64_t rows_written);
void finish_run(pqxx::transaction_base& tx, const AccountScope& scope, std::int64_t run_id, const std::string& status,
                const std::optional<std::string>& error);
/// Runs left `running` by a job whose worker died: failed, with the reason.
void fail_orphaned_runs(pqxx::transaction_base& tx, const AccountScope& scope, std::int64_t job_id,
                        const std::string& error);

/// Newest first; `before` is the public id of the last run of the previous page.
std::vector<Run> runs(pqxx::transaction_base& tx, const AccountScope& scope, std::int64_t integration_id, int limit,
                      const std::optional<std::string>& before);

// Cursors --------------------------------------------------------------------------------------

std::optional<nlohmann::json> cursor(pqxx::transaction_base& tx, const AccountScope& scope, std::int64_t integration_id,
                                     const std::string& stream);
void save_cursor(pqxx::transaction_base& tx, const AccountScope& scope, std::int64_t integration_id,
                 const std::string& stream, const nlohmann::json& cursor);

}  // namespace otq::models::integration
