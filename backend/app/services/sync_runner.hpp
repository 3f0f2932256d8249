// Runs one integration sync: credentials, a sync run row, the connector, and the outcome.
#pragma once

#include <atomic>
#include <chrono>
#include <optional>
#include <string>

#include "app/config.hpp"
#include "app/db.hpp"
#include "app/models/job.hpp"
#include "app/models/scope.hpp"
#include "app/security/credential_cipher.hpp"

namespace otq::services {

/// What the queue should do with the job afterwards.
struct SyncOutcome {
  enum class Kind { done, retry, give_back } kind = Kind::done;
  std::string error;                                ///< for retry
  std::optional<std::chrono::seconds> retry_after;  ///< the provider's requested wait
};

class SyncRunner {
 public:
  SyncRunner(db::Pool& pool, const Config& config, const security::CredentialCipher& cipher,
             const std::atomic<bool>& stopping)
      : pool_(pool), config_(config), cipher_(cipher), stopping_(stopping) {}

  /// `job.payload`: {"integration": public id, "trigger": scheduled|manual}.
  SyncOutcome run(const models::AccountScope& scope, const models::job::Claimed& job);

 private:
  db::Pool& pool_;
  const Config& config_;
  const security::CredentialCipher& cipher_;
  const std::atomic<bool>& stopping_;
};

}  // namespace otq::services
