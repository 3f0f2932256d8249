// Pure helpers of the metrics engine: dates, query strings, CSV fields, money formatting, masks.
#include <gtest/gtest.h>

#include "app/errors.hpp"
#include "app/schemas/metrics.hpp"
#include "app/services/metrics_service.hpp"

namespace otq {
namespace {

namespace sm = schemas::metrics;
namespace mf = services::metrics_format;

TEST(MetricsFormat, DaysParseOnlyRealCalendarDates) {
  EXPECT_EQ(sm::format_day(*sm::parse_day("2028-02-29")), "2028-02-29");
  EXPECT_FALSE(sm::parse_day("2026-02-29"));
  EXPECT_FALSE(sm::parse_day("2026-13-01"));
  EXPECT_FALSE(sm::parse_day("2026-1-01"));
  EXPECT_FALSE(sm::parse_day("2026-01-01T00:00"));
  EXPECT_FALSE(sm::parse_day("+026-01-01"));
  EXPECT_FALSE(sm::parse_day("1969-12-31"));
}

TEST(MetricsFormat, QueryStringsAreStrict) {
  const auto p = sm::read_query("from=2026-01-01&q=a%20b+c", {"from", "q"});
  EXPECT_EQ(p.at("q"), "a b c");
  EXPECT_THROW(sm::read_query("from=1&from=2", {"from"}), Error);
  EXPECT_THROW(sm::read_query("bogus=1", {"from"}), Error);
  EXPECT_THROW(sm::read_query("from=%zz", {"from"}), Error);
  const auto t = sm::parse_timeseries("metrics=spend,revenue,spend&interval=week");
  EXPECT_EQ(t.metrics, (std::vector<std::string>{"spend", "revenue"})) << "duplicates dropped, order kept";
  EXPECT_EQ(t.interval, sm::Interval::week);
  const auto c = sm::parse_campaigns("sort=name");
  EXPECT_FALSE(c.descending) << "names sort A to Z unless asked otherwise";
}

TEST(MetricsFormat, MoneyInMajorUnitsFollowsTheCurrencysExponent) {
  EXPECT_EQ(mf::major_units(123456, "USD"), "1234.56");
  EXPECT_EQ(mf::major_units(5, "EUR"), "0.05");
  EXPECT_EQ(mf::major_units(-250, "USD"), "-2.50");
  EXPECT_EQ(mf::major_units(1500, "JPY"), "1500");
  EXPECT_EQ(mf::major_units(1234, "KWD"), "1.234");
}

TEST(MetricsFormat, CsvFieldsAreQuotedAndFormulaSafe) {
  EXPECT_EQ(mf::csv_field("plain"), "plain");
  EXPECT_EQ(mf::csv_field("a,b"), "\"a,b\"");
  EXPECT_EQ(mf::csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(mf::csv_field("line\nbreak"), "\"line\nbreak\"");
  EXPECT_EQ(mf::csv_field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
  EXPECT_EQ(mf::csv_field("+1"), "'+1");
  EXPECT_EQ(mf::csv_field("@SUM(A1)"), "'@SUM(A1)");
}

TEST(MetricsFormat, EmailsAreMasked) {
  EXPECT_EQ(mf::mask_email("jane.doe@example.com"), "j***@example.com");
  EXPECT_EQ(mf::mask_email("nobody"), "***");
  EXPECT_EQ(mf::mask_email("@example.com"), "***");
}

}  // namespace
}  // namespace otq

namespace otq {
namespace {

TEST(ResponseCache, KeepsRecentAnswersWithinItsBudgetAndForgetsTheOldest) {
  services::ResponseCache cache(64 * 1024);
  const nlohmann::json answer = {{"data", std::string(1000, 'x')}};
  for (int i = 0; i < 100; ++i) cache.put("k" + std::to_string(i), answer);
  const auto stats = cache.stats();
  EXPECT_LE(stats.bytes, 64u * 1024);
  EXPECT_GT(stats.entries, 5u);
  EXPECT_LT(stats.entries, 100u) << "older entries were evicted";
  EXPECT_EQ(cache.get("k0"), nullptr);
  ASSERT_NE(cache.get("k99"), nullptr);
  EXPECT_EQ(*cache.get("k99"), answer);
  // Touching an entry keeps it when others are added.
  const std::string survivor = "k" + std::to_string(100 - static_cast<int>(stats.entries) + 1);
  ASSERT_NE(cache.get(survivor), nullptr);
  for (int i = 100; i < 110; ++i) cache.put("k" + std::to_string(i), answer);
  EXPECT_NE(cache.get(survivor), nullptr);
}

TEST(ResponseCache, ZeroBudgetStoresNothingAndHugeAnswersAreNotCached) {
  services::ResponseCache off(0);
  off.put("a", nlohmann::json{{"x", 1}});
  EXPECT_EQ(off.get("a"), nullptr);
  services::ResponseCache small(16 * 1024);
  small.put("big", nlohmann::json{{"data", std::string(8000, 'y')}});
  EXPECT_EQ(small.get("big"), nullptr);
}

}  // namespace
}  // namespace otq
