// Migration file naming and ordering (no database needed).
#include <gtest/gtest.h>

#include "app/migrate.hpp"

namespace otq::migrate {
namespace {

using Files = std::vector<std::pair<std::string_view, std::string_view>>;

TEST(MigrationParse, OrdersByVersionAndChecksumsContent) {
  const Files files{{"0002_b.sql", "SELECT 2"}, {"0001_a.sql", "SELECT 1"}};
  const auto parsed = parse(files);
  ASSERT_EQ(parsed.size(), 2u);
  EXPECT_EQ(parsed[0].version, 1);
  EXPECT_EQ(parsed[1].name, "0002_b.sql");
  EXPECT_EQ(parsed[0].checksum.size(), 64u);
  EXPECT_NE(parsed[0].checksum, parsed[1].checksum);
}

TEST(MigrationParse, RejectsBadNamesAndDuplicateVersions) {
  EXPECT_THROW(parse(Files{{"1_a.sql", ""}}), std::invalid_argument);
  EXPECT_THROW(parse(Files{{"0001-a.sql", ""}}), std::invalid_argument);
  EXPECT_THROW(parse(Files{{"0001_a.txt", ""}}), std::invalid_argument);
  EXPECT_THROW(parse(Files{{"0001_a.sql", ""}, {"0001_b.sql", ""}}), std::invalid_argument);
}

TEST(MigrationParse, EmbeddedMigrationsAreValidAndStartAtOne) {
  const auto& all = embedded();
  ASSERT_FALSE(all.empty());
  EXPECT_EQ(all.front().version, 1);
  for (std::size_t i = 1; i < all.size(); ++i) EXPECT_GT(all[i].version, all[i - 1].version);
}

}  // namespace
}  // namespace otq::migrate
