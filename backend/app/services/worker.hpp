// `omnitrackiq worker`: the scheduler, N consumer threads and a lease keeper over the job queue.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "app/config.hpp"
#include "app/db.hpp"
#include "app/models/job.hpp"
#include "app/security/credential_cipher.hpp"

namespace otq::services {

class Worker {
 public:
  /// Consumers, lease, attempts, poll interval and back-off come from `config` (JOB_*);
  /// `worker_id` (host:pid) is written to the jobs it holds.
  Worker(db::Pool& pool, const Config& config, security::CredentialCipher cipher, std::string worker_id);

  /// Runs the threads until stop(); then lets running jobs reach a checkpoint and gives back
  /// those that cannot finish (no attempt is counted).
  void run();
  /// Safe from any thread (the signal thread).
  void stop();

  /// Enqueues a sync for every connected integration that is due; returns how many.
  int schedule_due();
  /// Re-queues (or dead-letters) jobs whose worker went silent; returns how many.
  int reap();
  /// Takes and runs one job; false when none was ready.
  bool run_one();

 private:
  void consume();
  void keep_leases();
  void schedule_loop();
  void execute(const models::job::Claimed& job);
  void wait(std::chrono::milliseconds d);

  db::Pool& pool_;
  const Config& config_;
  security::CredentialCipher cipher_;
  std::string worker_id_;
  std::atomic<bool> stopping_{false};
  std::mutex mutex_;
  std::condition_variable wake_;
  std::map<std::int64_t, std::string> in_flight_;  ///< job id -> lease token
};

}  // namespace otq::services
