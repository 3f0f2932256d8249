// The subcommands of the omnitrackiq executable, as library functions returning an exit code.
#pragma once

#include <optional>
#include <string>

#include "app/config.hpp"
#include "app/services/system_tasks.hpp"

namespace otq::commands {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitConfig = 78;  // EX_CONFIG from sysexits.h

/// Blocks SIGTERM and SIGINT in the calling thread, so that every thread started afterwards
/// (the logger's flusher included) inherits the mask and only serve()'s sigwait receives them.
/// Call before starting any thread.
void block_stop_signals();

/// Serves the API and the frontend until SIGTERM/SIGINT, then stops gracefully.
/// block_stop_signals() must have been called first.
int serve(const Config& config);

/// Applies pending migrations; safe to run from several processes at once.
int migrate(const Config& config);

/// Creates the demo login and stores (see services::DemoOptions); prints the login.
int seed_demo(const Config& config, services::DemoOptions options);

/// Runs the job worker (scheduler, JOB_WORKERS consumers, lease keeper) until SIGTERM/SIGINT;
/// jobs in flight stop at their next checkpoint and go back to the queue.
/// block_stop_signals() must have been called first.
/// `account export --account acct_… --output FILE`: the same archive as the owner's export.
int export_account(const Config& config, const std::string& account, const std::string& output);
/// `account erase --account acct_… --confirm acct_…`: erases the account, recorded as the operator's.
int erase_account(const Config& config, const std::string& account, const std::string& confirmation);

int worker(const Config& config);

/// Re-seals every stored provider credential under TOKEN_ENCRYPTION_KEY's first key (rotation).
/// Exit 1 when some could not be opened (their key is missing from the ring).
int reseal_credentials(const Config& config);

/// Rebuilds the metrics rollups of one account (public id) or all, from raw rows.
int rebuild_rollups(const Config& config, const std::optional<std::string>& account);

}  // namespace otq::commands
