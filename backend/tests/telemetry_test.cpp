// The exposition format by itself: cumulative buckets, label escaping, one TYPE per family,
// stable order, and counters shared by every thread without losing increments.
#include "app/telemetry.hpp"

#include <thread>

#include <gtest/gtest.h>

#include "tests/support/prometheus.hpp"

namespace otq::telemetry {
namespace {

TEST(Telemetry, HistogramBucketsAreCumulativeWithSumAndCount) {
  const std::array<double, 3> bounds{0.1, 1, 10};
  Histogram h(bounds);
  for (double v : {0.05, 0.1, 0.5, 2.0, 2.0, 50.0}) h.observe(v);
  const auto s = h.snapshot();
  ASSERT_EQ(s.cumulative.size(), 4u);
  EXPECT_EQ(s.cumulative[0], 2u) << "a value on a bound counts in that bucket (le)";
  EXPECT_EQ(s.cumulative[1], 3u);
  EXPECT_EQ(s.cumulative[2], 5u);
  EXPECT_EQ(s.cumulative[3], 6u);
  EXPECT_DOUBLE_EQ(s.sum, 54.65);

  Exposition out;
  out.family("x_seconds", "histogram", "Test.");
  out.histogram("x_seconds", {{"route", "/a"}}, h);
  const auto m = testing::parse_exposition(out.text());
  EXPECT_EQ(testing::series_value(m, R"(x_seconds_bucket{route="/a",le="0.1"})"), 2);
  EXPECT_EQ(testing::series_value(m, R"(x_seconds_bucket{route="/a",le="10"})"), 5);
  EXPECT_EQ(testing::series_value(m, R"(x_seconds_bucket{route="/a",le="+Inf"})"), 6);
  EXPECT_EQ(testing::series_value(m, R"(x_seconds_count{route="/a"})"), 6);
  EXPECT_DOUBLE_EQ(testing::series_value(m, R"(x_seconds_sum{route="/a"})"), 54.65);
}

TEST(Telemetry, LabelValuesAreEscaped) {
  Exposition out;
  out.family("y_total", "counter", "Test.");
  out.sample("y_total", {{"path", "a\"b\\c\nd"}}, 1);
  EXPECT_EQ(out.text(), "# HELP y_total Test.\n# TYPE y_total counter\ny_total{path=\"a\\\"b\\\\c\\nd\"} 1\n");
}

TEST(Telemetry, FamiliesWriteEachSeriesOnceInStableOrderAndCountAcrossThreads) {
  CounterFamily f("z_total", "Test.", {"provider", "outcome"});
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&f, t] {
      for (int i = 0; i < 10000; ++i) f.with({t % 2 ? "shopify" : "facebook_ads", "succeeded"}).inc();
    });
  }
  for (auto& t : threads) t.join();
  Exposition out;
  f.write(out);
  const std::string text = out.text();
  EXPECT_EQ(text,
            "# HELP z_total Test.\n# TYPE z_total counter\n"
            "z_total{provider=\"facebook_ads\",outcome=\"succeeded\"} 20000\n"
            "z_total{provider=\"shopify\",outcome=\"succeeded\"} 20000\n");
  EXPECT_EQ(&f.with({"shopify", "succeeded"}), &f.with({"shopify", "succeeded"})) << "one series per label set";
}

TEST(Telemetry, TheProcessSeriesAreThereAndTheWholeExpositionParses) {
  http_requests().with({"GET", "/api/v1/health", "200"}).observe(0.002);
  Exposition out;
  write_all(out);
  const auto m = testing::parse_exposition(out.text());
  EXPECT_GT(testing::series_value(m, "process_resident_memory_bytes"), 0);
  EXPECT_GT(testing::series_value(m, "process_open_fds"), 0);
  EXPECT_GT(testing::series_value(m, "process_start_time_seconds"), 1.7e9);
  EXPECT_GE(testing::series_value(m, "process_cpu_seconds_total"), 0);
  EXPECT_EQ(testing::series_value(m, R"(otq_webhook_verifications_failed_total{provider="stripe"})"), 0)
      << "known series exist from the start";
  EXPECT_GE(
      testing::series_value(
          m,
          R"(otq_http_request_duration_seconds_bucket{method="GET",route="/api/v1/health",status="200",le="0.0025"})"),
      1);
}

}  // namespace
}  // namespace otq::telemetry
