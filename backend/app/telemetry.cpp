#include "app/telemetry.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <array>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

namespace otq::telemetry {
namespace {

constexpr std::array<double, 14> kLatencyBuckets = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
                                                    0.25,  0.5,    1,     2.5,  5,     10,   30};

void append_escaped(std::string& out, std::string_view value) {
  for (char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
}

void append_number(std::string& out, double v) {
  if (std::isinf(v)) {
    out += v > 0 ? "+Inf" : "-Inf";
  } else if (std::isnan(v)) {
    out += "NaN";
  } else {
    fmt::format_to(std::back_inserter(out), "{}", v);
  }
}

template <typename Pairs>
void append_sample(std::string& out, std::string_view name, const Pairs& labels, double value,
                   std::string_view extra_name = {}, std::string_view extra_value = {}) {
  out += name;
  bool any = false;
  auto label = [&](std::string_view k, std::string_view v) {
    out += any ? ',' : '{';
    any = true;
    out += k;
    out += "=\"";
    append_escaped(out, v);
    out += '"';
  };
  for (const auto& [k, v] : labels) label(k, v);
  if (!extra_name.empty()) label(extra_name, extra_value);
  if (any) out += '}';
  out += ' ';
  append_number(out, value);
  out += '\n';
}

std::string series_key(std::initializer_list<std::string_view> values) {
  std::string key;
  for (auto v : values) {
    key += v;
    key += '\x1f';  // unit separator: cannot occur in route patterns, statuses or provider names
  }
  return key;
}

// /proc/self/stat fields after the command name (which may contain spaces, hence the last ')').
std::vector<std::string> self_stat() {
  std::ifstream in("/proc/self/stat");
  std::string line;
  std::getline(in, line);
  const auto close = line.rfind(')');
  std::vector<std::string> fields;
  if (close == std::string::npos) return fields;
  std::istringstream rest(line.substr(close + 2));
  for (std::string f; rest >> f;) fields.push_back(f);
  return fields;  // fields[0] is field 3 (state)
}

double boot_time_seconds() {
  std::ifstream in("/proc/stat");
  for (std::string key; in >> key;) {
    if (key == "btime") {
      double v = 0;
      in >> v;
      return v;
    }
    in.ignore(1 << 20, '\n');
  }
  return 0;
}

void write_process(Exposition& out) {
  const auto stat = self_stat();
  if (stat.size() < 22) return;
  const double ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
  const double page = static_cast<double>(sysconf(_SC_PAGESIZE));
  const double cpu = (std::stod(stat[11]) + std::stod(stat[12])) / ticks;  // utime + stime
  out.family("process_cpu_seconds_total", "counter", "User and system CPU time spent, in seconds.");
  out.sample("process_cpu_seconds_total", {}, cpu);
  out.family("process_resident_memory_bytes", "gauge", "Resident memory size in bytes.");
  out.sample("process_resident_memory_bytes", {}, std::stod(stat[21]) * page);
  out.family("process_threads", "gauge", "Threads of the process.");
  out.sample("process_threads", {}, std::stod(stat[17]));
  out.family("process_start_time_seconds", "gauge", "Start time of the process since the Unix epoch, in seconds.");
  out.sample("process_start_time_seconds", {}, boot_time_seconds() + std::stod(stat[19]) / ticks);

  std::error_code ec;
  double fds = 0;
  for (auto it = std::filesystem::directory_iterator("/proc/self/fd", ec); !ec && it != end(it); it.increment(ec)) {
    ++fds;
  }
  out.family("process_open_fds", "gauge", "Open file descriptors (sockets included).");
  out.sample("process_open_fds", {}, fds);
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0) {
    out.family("process_max_fds", "gauge", "The file descriptor limit.");
    out.sample("process_max_fds", {}, static_cast<double>(limit.rlim_cur));
  }
}

}  // namespace

std::span<const double> latency_buckets() {
  return kLatencyBuckets;
}

Histogram::Histogram(std::span<const double> bounds)
    : bounds_(bounds.begin(), bounds.end()), buckets_(new std::atomic<std::uint64_t>[bounds.size() + 1]) {
  for (std::size_t i = 0; i <= bounds_.size(); ++i) buckets_[i].store(0, std::memory_order_relaxed);
}

void Histogram::observe(double value) noexcept {
  std::size_t i = 0;
  while (i < bounds_.size() && value > bounds_[i]) ++i;
  buckets_[i].fetch_add(1, std::memory_order_relaxed);
  sum_.fetch_add(value, std::memory_order_relaxed);
}

Histogram::Snapshot Histogram::snapshot() const {
  Snapshot s;
  s.cumulative.reserve(bounds_.size() + 1);
  std::uint64_t running = 0;
  for (std::size_t i = 0; i <= bounds_.size(); ++i) {
    running += buckets_[i].load(std::memory_order_relaxed);
    s.cumulative.push_back(running);
  }
  s.sum = sum_.load(std::memory_order_relaxed);
  return s;
}

void Exposition::family(std::string_view name, std::string_view type, std::string_view help) {
  fmt::format_to(std::back_inserter(out_), "# HELP {} {}\n# TYPE {} {}\n", name, help, name, type);
}

void Exposition::sample(std::string_view name, Labels labels, double value) {
  append_sample(out_, name, labels, value);
}

void Exposition::sample(std::string_view name, const std::vector<std::pair<std::string, std::string>>& labels,
                        double value) {
  append_sample(out_, name, labels, value);
}

void Exposition::histogram(std::string_view name, const std::vector<std::pair<std::string, std::string>>& labels,
                           const Histogram& h) {
  const auto snap = h.snapshot();
  const std::string bucket = std::string(name) + "_bucket";
  for (std::size_t i = 0; i < snap.cumulative.size(); ++i) {
    std::string le;
    if (i < h.bounds().size()) {
      append_number(le, h.bounds()[i]);
    } else {
      le = "+Inf";
    }
    append_sample(out_, bucket, labels, static_cast<double>(snap.cumulative[i]), "le", le);
  }
  append_sample(out_, std::string(name) + "_sum", labels, snap.sum);
  append_sample(out_, std::string(name) + "_count", labels, static_cast<double>(snap.cumulative.back()));
}

template <typename Series>
Series& Family<Series>::with(std::initializer_list<std::string_view> values) {
  const std::string key = series_key(values);
  {
    std::shared_lock lock(mutex_);
    if (auto it = series_.find(key); it != series_.end()) return *it->second.second;
  }
  std::unique_lock lock(mutex_);
  auto& slot = series_[key];
  if (!slot.second) {
    slot.first.assign(values.begin(), values.end());
    slot.second = std::make_unique<Series>();
  }
  return *slot.second;
}

template <typename Series>
void Family<Series>::write(Exposition& out) const {
  std::shared_lock lock(mutex_);
  if (series_.empty()) return;
  // Sorted, so that scrapes are stable and diffable.
  std::vector<const std::pair<std::vector<std::string>, std::unique_ptr<Series>>*> rows;
  rows.reserve(series_.size());
  for (const auto& [key, row] : series_) rows.push_back(&row);
  std::sort(rows.begin(), rows.end(), [](auto* a, auto* b) { return a->first < b->first; });
  constexpr bool is_counter = std::is_same_v<Series, Counter>;
  out.family(name_, is_counter ? "counter" : "histogram", help_);
  for (const auto* row : rows) {
    std::vector<std::pair<std::string, std::string>> labels;
    for (std::size_t i = 0; i < label_names_.size() && i < row->first.size(); ++i) {
      labels.emplace_back(label_names_[i], row->first[i]);
    }
    if constexpr (is_counter) {
      out.sample(name_, labels, static_cast<double>(row->second->value()));
    } else {
      out.histogram(name_, labels, *row->second);
    }
  }
}

template class Family<Counter>;
template class Family<Histogram>;

HistogramFamily& http_requests() {
  static HistogramFamily f("otq_http_request_duration_seconds",
                           "Time from a request's arrival to its response, by route pattern and status; _count "
                           "counts the requests.",
                           {"method", "route", "status"});
  return f;
}

CounterFamily& http_rejected() {
  static CounterFamily f("otq_http_rejected_total",
                         "Requests answered 503 before a handler ran: the worker queue was full, or the request "
                         "waited in it past REQUEST_TIMEOUT_MS.",
                         {"reason"});
  [[maybe_unused]] static const bool listed = [] {
    f.with({"queue_full"});
    f.with({"queue_timeout"});
    return true;
  }();
  return f;
}

CounterFamily& sync_runs() {
  static CounterFamily f("otq_sync_runs_total", "Finished sync runs by provider and outcome.", {"provider", "outcome"});
  // The connected providers' series exist from the start, so rate() and increase() see their first run.
  [[maybe_unused]] static const bool listed = [] {
    for (auto provider : {"facebook_ads", "shopify"}) {
      for (auto outcome : {"succeeded", "failed", "needs_user", "cancelled"}) f.with({provider, outcome});
    }
    return true;
  }();
  return f;
}

CounterFamily& jobs_finished() {
  static CounterFamily f("otq_jobs_finished_total",
                         "Jobs this worker finished, by kind and outcome (dead = out of attempts).",
                         {"kind", "outcome"});
  return f;
}

CounterFamily& webhook_verifications_failed() {
  static CounterFamily f("otq_webhook_verifications_failed_total",
                         "Webhook deliveries refused because their signature did not verify.", {"provider"});
  [[maybe_unused]] static const bool listed = [] {
    f.with({"shopify"});
    f.with({"stripe"});
    return true;
  }();
  return f;
}

void write_all(Exposition& out) {
  http_requests().write(out);
  http_rejected().write(out);
  sync_runs().write(out);
  jobs_finished().write(out);
  webhook_verifications_failed().write(out);
  write_process(out);
}

}  // namespace otq::telemetry
