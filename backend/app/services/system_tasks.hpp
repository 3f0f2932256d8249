// Operator commands that act on accounts without a signed-in user: demo data and rollup rebuilds.
// They run from the shell (`omnitrackiq seed-demo`, `omnitrackiq rollups rebuild`), never over HTTP.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "app/db.hpp"
#include "app/models/scope.hpp"
#include "app/security/credential_cipher.hpp"

namespace otq::services {

struct DemoOptions {
  std::string email = "demo@omnitrackiq.test";
  std::optional<std::string> password;  ///< random (and printed) when not given
  int days = 365;
  std::int64_t orders = 20000;           ///< for the main demo store
  int accounts = 1;                      ///< the main store plus accounts-1 smaller ones
  std::int64_t orders_per_extra = 1500;  ///< orders of each smaller account
  std::uint64_t seed = 42;               ///< same seed (and end date), same data
  std::optional<std::string> end_date;   ///< last day (YYYY-MM-DD, complete); default today, up to now
  bool if_empty = false;                 ///< do nothing when any account exists (make run)
  int bcrypt_cost = 12;
};

struct DemoResult {
  bool skipped = false;
  std::string email;
  std::string password;  ///< empty when it was given by the caller
  std::int64_t orders = 0;
  std::int64_t spend_rows = 0;
  std::int64_t accounts = 0;
};

class SystemTasks {
 public:
  explicit SystemTasks(db::Pool& pool) : pool_(pool) {}

  /// Creates the demo login and its stores with deterministic, realistic data (one transaction
  /// per store). `progress` receives a line per store.
  DemoResult seed_demo(const DemoOptions& options, const std::function<void(const std::string&)>& progress);

  /// Rebuilds the rollups of one account (by public id) or of every account; returns how many.
  std::int64_t rebuild_rollups(const std::optional<std::string>& account_public_id);

  /// The account's scope from its public id, for the operator's data-rights commands;
  /// not_found when there is no such account.
  models::AccountScope account_scope(const std::string& account_public_id);

  struct ResealResult {
    std::int64_t resealed = 0;    ///< now under the active key
    std::int64_t current = 0;     ///< already under it
    std::int64_t unreadable = 0;  ///< under a key the ring lacks, or not opening: left as they are
  };
  /// Key rotation: re-seals every stored credential under the cipher's active key (one row per
  /// transaction, so a failure loses nothing). Rows it cannot open are counted and left alone.
  ResealResult reseal_credentials(const security::CredentialCipher& cipher);

 private:
  db::Pool& pool_;
};

}  // namespace otq::services
