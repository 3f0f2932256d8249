// Operational metrics in Prometheus' text format: counters and histograms that the hot paths
// update lock-free, label sets created once, and the exposition written on a scrape.
// docs/operations.md lists every series and the alerts built on them.
#pragma once

#include <atomic>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace otq::telemetry {

/// A monotonically increasing count.
class Counter {
 public:
  void inc(std::uint64_t n = 1) noexcept { value_.fetch_add(n, std::memory_order_relaxed); }
  std::uint64_t value() const noexcept { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<std::uint64_t> value_{0};
};

/// Upper bounds (seconds) for request and wait latencies: 1 ms to 30 s.
std::span<const double> latency_buckets();

/// Observations counted into fixed buckets (cumulative on output, as Prometheus expects).
class Histogram {
 public:
  explicit Histogram(std::span<const double> bounds = latency_buckets());
  void observe(double value) noexcept;

  struct Snapshot {
    std::vector<std::uint64_t> cumulative;  ///< one per bound, then +Inf (== count)
    double sum = 0;
  };
  Snapshot snapshot() const;
  std::span<const double> bounds() const { return bounds_; }

 private:
  std::vector<double> bounds_;
  std::unique_ptr<std::atomic<std::uint64_t>[]> buckets_;  ///< bounds_.size() + 1, not cumulative
  std::atomic<double> sum_{0};
};

/// Builds one exposition: each family's HELP and TYPE once, then its samples.
class Exposition {
 public:
  using Labels = std::initializer_list<std::pair<std::string_view, std::string_view>>;

  void family(std::string_view name, std::string_view type, std::string_view help);
  void sample(std::string_view name, Labels labels, double value);
  void sample(std::string_view name, const std::vector<std::pair<std::string, std::string>>& labels, double value);
  void histogram(std::string_view name, const std::vector<std::pair<std::string, std::string>>& labels,
                 const Histogram& h);
  const std::string& text() const { return out_; }

 private:
  std::string out_;
};

/// Counters or histograms of one name, one per combination of label values. Series are never
/// removed, so a reference from with() stays valid for the life of the process; label values must
/// come from bounded sets (route patterns, status codes, providers), never from user input.
template <typename Series>
class Family {
 public:
  Family(std::string name, std::string help, std::vector<std::string> label_names)
      : name_(std::move(name)), help_(std::move(help)), label_names_(std::move(label_names)) {}

  Series& with(std::initializer_list<std::string_view> values);
  void write(Exposition& out) const;
  const std::string& name() const { return name_; }

 private:
  std::string name_;
  std::string help_;
  std::vector<std::string> label_names_;
  mutable std::shared_mutex mutex_;
  std::unordered_map<std::string, std::pair<std::vector<std::string>, std::unique_ptr<Series>>> series_;
};

using CounterFamily = Family<Counter>;
using HistogramFamily = Family<Histogram>;

extern template class Family<Counter>;
extern template class Family<Histogram>;

// The process' families. Each is updated where the event happens and written by write_all().

/// Every HTTP response: method, route pattern ("static", "unmatched", "preflight" otherwise), status.
HistogramFamily& http_requests();
/// Requests answered 503 before a handler ran: reason = queue_full | queue_timeout.
CounterFamily& http_rejected();
/// Finished sync runs: provider, outcome = succeeded | failed | needs_user | cancelled.
CounterFamily& sync_runs();
/// Finished jobs: kind, outcome = done | retry | dead | given_back.
CounterFamily& jobs_finished();
/// Webhook deliveries refused because their signature did not verify: provider = stripe | shopify.
CounterFamily& webhook_verifications_failed();

/// Writes every family above, then the process' own figures (resident memory, open files, CPU
/// seconds, threads, start time) as process_* series.
void write_all(Exposition& out);

}  // namespace otq::telemetry
