// The subcommands of the omnitrackiq executable, as library functions returning an exit code.
#pragma once

#include "app/config.hpp"

namespace otq::commands {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitNotAvailable = 2;
inline constexpr int kExitConfig = 78;  // EX_CONFIG from sysexits.h

/// Serves the API and the frontend until SIGTERM/SIGINT, then stops gracefully.
int serve(const Config& config);

/// Applies pending migrations; safe to run from several processes at once.
int migrate(const Config& config);

}  // namespace otq::commands
