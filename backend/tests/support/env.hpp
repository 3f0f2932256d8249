// Paths the tests need: baked in by CMake, overridable by environment variables of the same name.
#pragma once

#include <string>

namespace otq::testing {

/// Repository root (OTQ_REPO_DIR).
std::string repo_dir();
/// The omnitrackiq binary under test (OTQ_BINARY).
std::string binary_path();
/// Data directory of the shared test cluster (OTQ_TEST_PG_DATA).
std::string pg_data_dir();
/// Runs a shell command and returns its stdout; throws when it exits non-zero.
std::string run_command(const std::string& command);

}  // namespace otq::testing
