// bcrypt hashing and the password policy.
#include "app/security/password.hpp"

#include <gtest/gtest.h>

namespace otq::security {
namespace {

TEST(Password, HashIsBcrypt2bWithTheRequestedCostAndVerifies) {
  const std::string hash = hash_password("correct horse battery", 10);
  EXPECT_TRUE(hash.starts_with("$2b$10$")) << hash;
  EXPECT_EQ(hash.size(), 60u);
  EXPECT_EQ(bcrypt_cost_of(hash), 10);
  EXPECT_TRUE(verify_password("correct horse battery", hash));
  EXPECT_FALSE(verify_password("correct horse batterx", hash));
  EXPECT_NE(hash_password("correct horse battery", 10), hash) << "each hash has its own salt";
}

TEST(Password, VerifiesHashesFromOtherBcryptImplementations) {
  // "$2a$" and "$2y$" prefixes as written by other libraries (bcryptjs, PHP) for "password1234".
  const std::string b = hash_password("password1234", 10);
  const std::string a = "$2a$" + b.substr(4);
  const std::string y = "$2y$" + b.substr(4);
  EXPECT_TRUE(verify_password("password1234", a));
  EXPECT_TRUE(verify_password("password1234", y));
}

TEST(Password, BytesBeyondSeventyTwoStillCount) {
  const std::string base(72, 'a');
  const std::string hash = hash_password(base + "tail-one", 10);
  EXPECT_TRUE(verify_password(base + "tail-one", hash));
  EXPECT_FALSE(verify_password(base + "tail-two", hash)) << "plain bcrypt would accept this (truncation)";
  EXPECT_FALSE(verify_password(base, hash));
}

TEST(Password, MalformedStoredHashNeverVerifies) {
  EXPECT_FALSE(verify_password("anything at all", ""));
  EXPECT_FALSE(verify_password("anything at all", "$1$abc$def"));
  EXPECT_FALSE(verify_password("anything at all", "plaintext-password"));
  EXPECT_EQ(bcrypt_cost_of("$2x$12$" + std::string(53, 'a')), 0);
}

TEST(Password, CostBelowTenIsRefused) {
  EXPECT_THROW(hash_password("long enough password", 4), std::invalid_argument);
}

TEST(PasswordPolicy, EnforcesLengthEmailAndCommonPasswords) {
  EXPECT_FALSE(password_problem("a-Decent-passphrase", "ann@example.com"));
  EXPECT_TRUE(password_problem("short", "ann@example.com"));
  EXPECT_TRUE(password_problem(std::string(129, 'x'), "ann@example.com"));
  EXPECT_FALSE(password_problem(std::string(128, 'x'), "ann@example.com"));
  EXPECT_TRUE(password_problem("ann@example.com", "Ann@Example.com"));
  EXPECT_TRUE(password_problem("annabelle-smith", "annabelle-smith@example.com"));
  EXPECT_TRUE(password_problem(std::string("has\0nul-in-it", 13), "ann@example.com"));
  for (const char* common : {"1234567890", "qwertyuiop", "1q2w3e4r5t", "QwertyUiop", "basketball"}) {
    EXPECT_TRUE(password_problem(common, "ann@example.com")) << common;
  }
}

TEST(PasswordPolicy, CommonListHasTheTopTenThousand) {
  EXPECT_TRUE(is_common_password("password"));
  EXPECT_TRUE(is_common_password("123456"));
  EXPECT_FALSE(is_common_password("omnitrackiq-7f3a-unusual"));
}

}  // namespace
}  // namespace otq::security
