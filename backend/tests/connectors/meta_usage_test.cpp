// Meta's usage headers → how long the connector waits before its next call.
#include <gtest/gtest.h>

#include "app/connectors/meta/meta_connector.hpp"

namespace otq::connectors::meta {
namespace {

using std::chrono::seconds;

HttpResponse with(std::map<std::string, std::string, CaseInsensitiveLess> headers) {
  HttpResponse r;
  r.status = 200;
  r.headers = std::move(headers);
  return r;
}

TEST(MetaUsage, NoPauseWellBelowTheQuotas) {
  EXPECT_EQ(usage_pause(with({})), seconds(0));
  EXPECT_EQ(usage_pause(with({{"x-app-usage", R"({"call_count":28,"total_time":25,"total_cputime":25})"},
                              {"x-ad-account-usage", R"({"acc_id_util_pct":9.67,"reset_time_duration":100})"}})),
            seconds(0));
}

TEST(MetaUsage, SlowsDownInProportionFromThreeQuarters) {
  EXPECT_EQ(usage_pause(with({{"X-App-Usage", R"({"call_count":80,"total_time":10,"total_cputime":10})"}})),
            seconds(12));
  EXPECT_EQ(usage_pause(with({{"x-fb-ads-insights-throttle", R"({"app_id_util_pct":90,"acc_id_util_pct":10})"}})),
            seconds(36));
}

TEST(MetaUsage, NearTheLimitWaitsForTheAnnouncedReset) {
  // 96% of the ad account's allowance, resetting in 200 s: the reset wins over the 50 s ramp.
  EXPECT_EQ(usage_pause(with({{"x-ad-account-usage", R"({"acc_id_util_pct":96,"reset_time_duration":200})"}})),
            seconds(200));
  // A business use case at 100% with 19 minutes to regain access: capped at 10 minutes.
  EXPECT_EQ(usage_pause(with({{"x-business-use-case-usage",
                               R"({"1234567890":[{"type":"ads_insights","call_count":100,"total_cputime":25,)"
                               R"("total_time":25,"estimated_time_to_regain_access":19}]})"}})),
            seconds(600));
}

TEST(MetaUsage, IgnoresHeadersItCannotRead) {
  EXPECT_EQ(usage_pause(with({{"x-app-usage", "not json"}, {"x-business-use-case-usage", R"({"1":"x"})"}})),
            seconds(0));
}

}  // namespace
}  // namespace otq::connectors::meta
