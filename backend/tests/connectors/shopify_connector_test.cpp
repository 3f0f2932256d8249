// The Shopify connector's small parts: Link pagination, the leaky bucket, timestamps.
#include "app/connectors/shopify/shopify_connector.hpp"

#include <gtest/gtest.h>

namespace otq::connectors::shopify {
namespace {

TEST(ShopifyPaging, FollowsRelNextOnly) {
  EXPECT_EQ(next_link(R"(<https://s.myshopify.com/admin/api/2026-07/orders.json?limit=250&page_info=abc>; rel="next")"),
            "https://s.myshopify.com/admin/api/2026-07/orders.json?limit=250&page_info=abc");
  EXPECT_EQ(next_link(R"(<https://s/o.json?page_info=p>; rel="previous", <https://s/o.json?page_info=n>; rel="next")"),
            "https://s/o.json?page_info=n");
  EXPECT_EQ(next_link(R"(<https://s/o.json?page_info=p>; rel="previous")"), "");
  EXPECT_EQ(next_link(""), "");
  EXPECT_EQ(next_link("garbage"), "");
}

TEST(ShopifyBucket, WaitsForHalfTheBucketOnlyWhenNearlyFull) {
  EXPECT_EQ(bucket_pause("1/40"), std::chrono::seconds(0));
  EXPECT_EQ(bucket_pause("31/40"), std::chrono::seconds(0));
  EXPECT_EQ(bucket_pause("32/40"), std::chrono::seconds(6));
  EXPECT_EQ(bucket_pause("40/40"), std::chrono::seconds(10));
  EXPECT_EQ(bucket_pause("79/80"), std::chrono::seconds(20));
  EXPECT_EQ(bucket_pause("nonsense"), std::chrono::seconds(0));
  EXPECT_EQ(bucket_pause("5/0"), std::chrono::seconds(0));
  // The provider's text: no overflow, no pause of years (found by fuzzing).
  EXPECT_EQ(bucket_pause("2147483647/40"), std::chrono::seconds(0));
  EXPECT_EQ(bucket_pause("-5/40"), std::chrono::seconds(0));
  EXPECT_LE(bucket_pause("99999/100000"), std::chrono::seconds(100000));
}

TEST(ShopifyTime, ReadsOffsetsAsShopifySendsThem) {
  EXPECT_EQ(epoch_seconds("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(epoch_seconds("2026-11-20T10:00:00-05:00"), epoch_seconds("2026-11-20T15:00:00Z"));
  EXPECT_EQ(epoch_seconds("2026-11-20T10:00:00.250+01:00"), epoch_seconds("2026-11-20T09:00:00Z"));
  EXPECT_FALSE(epoch_seconds("2026-11-20 10:00").has_value());
}

}  // namespace
}  // namespace otq::connectors::shopify
