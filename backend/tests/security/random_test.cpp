// Public ids: shape, alphabet, and no collisions in a large sample.
#include "app/security/random.hpp"

#include <set>

#include <gtest/gtest.h>

namespace otq::security {
namespace {

TEST(PublicId, HasPrefixAndTwentyTwoBase62Characters) {
  const std::string id = new_public_id("acct");
  EXPECT_EQ(id.size(), 4u + 1u + 22u);
  EXPECT_TRUE(is_public_id(id, "acct"));
  EXPECT_FALSE(is_public_id(id, "usr"));
  EXPECT_FALSE(is_public_id("acct_123", "acct"));
  EXPECT_FALSE(is_public_id("acct_" + std::string(21, 'a') + "!", "acct"));
}

TEST(PublicId, DoesNotRepeatAcrossManyDraws) {
  std::set<std::string> seen;
  for (int i = 0; i < 20000; ++i) ASSERT_TRUE(seen.insert(new_public_id("ord")).second);
}

TEST(RandomHex, HasTwoCharactersPerByte) {
  const std::string h = random_hex(16);
  EXPECT_EQ(h.size(), 32u);
  EXPECT_EQ(h.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_NE(random_hex(16), h);
}

}  // namespace
}  // namespace otq::security
