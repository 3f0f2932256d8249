// Fixed threads with a bounded queue: where handlers that touch the database or bcrypt run.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace otq::http {

class WorkerPool {
 public:
  WorkerPool(std::size_t threads, std::size_t queue_limit);
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  /// Queues `task`; false when the queue is full or the pool is stopping (the caller answers 503).
  /// A task must not throw.
  bool try_post(std::function<void()> task);

  /// Runs what is queued, then joins the threads. Idempotent.
  void stop();

  std::size_t queued() const;

 private:
  void loop();

  const std::size_t queue_limit_;
  mutable std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> queue_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace otq::http
