// A fresh database per test, cloned from the migrated template in the shared test cluster.
#pragma once

#include <cstdint>
#include <string>

namespace otq::testing {

/// URL of `database` in the cluster at `data_dir`, as role `user`.
std::string cluster_url(const std::string& data_dir, const std::string& database,
                        const std::string& user = "omnitrackiq");

/// Creates a uniquely named database when constructed and drops it (forcefully) when destroyed.
class TestDatabase {
 public:
  enum class Schema { migrated, empty };
  explicit TestDatabase(Schema schema = Schema::migrated);
  ~TestDatabase();
  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;

  const std::string& name() const { return name_; }
  /// Connection URL as the application role.
  const std::string& url() const { return url_; }
  /// Connection URL as the cluster superuser (for pg_terminate_backend and the like).
  std::string admin_url() const;

  /// Puts the account on `plan` directly, as Stripe's webhooks would for a paying account (for
  /// tests about something else that read data older than the Free plan's history window).
  void set_plan(const std::string& account_public_id, const std::string& plan) const;

  /// Rollup rows of the account that differ between what the writes maintained (triggers, the
  /// sync's incremental sums) and a rebuild from the raw rows: 0 when the rollups are exact.
  std::int64_t rollup_drift(std::int64_t account) const;

  /// Makes the user a member of the account with `role`, without the invitation round trip.
  void add_member(const std::string& account_public_id, const std::string& user_public_id,
                  const std::string& role) const;

 private:
  std::string name_;
  std::string url_;
};

}  // namespace otq::testing
