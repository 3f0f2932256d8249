// Config: defaults, validation messages that name the variable, the JWT secret rule, .env.example.
#include "app/config.hpp"

#include <fstream>
#include <map>
#include <sstream>

#include <gtest/gtest.h>

#include "tests/support/env.hpp"

namespace otq {
namespace {

const std::string kKeyRing = "k1:" + std::string(64, 'a');

// A valid credential key ring unless the test sets one (every serve config needs it).
EnvLookup env_of(std::map<std::string, std::string> values) {
  values.emplace("TOKEN_ENCRYPTION_KEY", kKeyRing);
  return [values = std::move(values)](std::string_view name) -> std::optional<std::string> {
    auto it = values.find(std::string(name));
    if (it == values.end()) return std::nullopt;
    return it->second;
  };
}

const std::string kSecret = "0123456789abcdef0123456789abcdef";

std::string load_error(std::map<std::string, std::string> values, bool dev = false) {
  try {
    Config::load(env_of(std::move(values)), Config::Purpose::serve, dev);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

TEST(Config, DefaultsApplyWhenOnlyRequiredVariablesAreSet) {
  const Config c = Config::load(env_of({{"DATABASE_URL", "postgresql://localhost/otq"}, {"JWT_SECRET", kSecret}}),
                                Config::Purpose::serve, false);
  EXPECT_EQ(c.port, 8080);
  EXPECT_EQ(c.host, "127.0.0.1");
  EXPECT_EQ(c.max_body_bytes, 1024u * 1024u);
  EXPECT_EQ(c.database_pool_size, 10u);
  EXPECT_TRUE(c.cors_origins.empty());
  EXPECT_EQ(c.jwt_secret, kSecret);
}

TEST(Config, MissingDatabaseUrlIsNamed) {
  EXPECT_NE(load_error({{"JWT_SECRET", kSecret}}).find("DATABASE_URL"), std::string::npos);
}

TEST(Config, BadIntegerNamesTheVariableAndTheValue) {
  const auto msg =
      load_error({{"DATABASE_URL", "postgresql:///x"}, {"JWT_SECRET", kSecret}, {"DATABASE_POOL_SIZE", "ten"}});
  EXPECT_NE(msg.find("DATABASE_POOL_SIZE"), std::string::npos);
  EXPECT_NE(msg.find("'ten'"), std::string::npos);
  EXPECT_NE(load_error({{"DATABASE_URL", "postgresql:///x"}, {"JWT_SECRET", kSecret}, {"PORT", "70000"}}).find("PORT"),
            std::string::npos);
  EXPECT_NE(load_error({{"DATABASE_URL", "postgresql:///x"}, {"JWT_SECRET", kSecret}, {"MAX_BODY_BYTES", "12abc"}})
                .find("MAX_BODY_BYTES"),
            std::string::npos);
}

TEST(Config, ShortJwtSecretRefusedOutsideDevMode) {
  const auto msg = load_error({{"DATABASE_URL", "postgresql:///x"}, {"JWT_SECRET", "short"}});
  EXPECT_NE(msg.find("JWT_SECRET must be at least 32 bytes"), std::string::npos);
  EXPECT_NE(msg.find("got 5"), std::string::npos);
  EXPECT_EQ(msg.find("short"), std::string::npos) << "the secret itself must never be echoed";
  EXPECT_EQ(load_error({{"DATABASE_URL", "postgresql:///x"}, {"JWT_SECRET", "short"}}, true), "");
}

TEST(Config, MigrateDoesNotNeedTheJwtSecret) {
  EXPECT_NO_THROW(Config::load(env_of({{"DATABASE_URL", "postgresql:///x"}}), Config::Purpose::migrate, false));
}

TEST(Config, CorsOriginsMustBeExactOrigins) {
  const Config c = Config::load(env_of({{"DATABASE_URL", "postgresql:///x"},
                                        {"JWT_SECRET", kSecret},
                                        {"CORS_ORIGINS", " https://app.example.com, http://localhost:3000 "}}),
                                Config::Purpose::serve, false);
  EXPECT_EQ(c.cors_origins, (std::vector<std::string>{"https://app.example.com", "http://localhost:3000"}));
  EXPECT_NE(load_error({{"DATABASE_URL", "postgresql:///x"}, {"JWT_SECRET", kSecret}, {"CORS_ORIGINS", "*"}})
                .find("CORS_ORIGINS"),
            std::string::npos);
  EXPECT_NE(
      load_error(
          {{"DATABASE_URL", "postgresql:///x"}, {"JWT_SECRET", kSecret}, {"CORS_ORIGINS", "https://app.example.com/"}})
          .find("CORS_ORIGINS"),
      std::string::npos);
}

TEST(Config, LogLevelIsValidated) {
  EXPECT_NE(load_error({{"DATABASE_URL", "postgresql:///x"}, {"JWT_SECRET", kSecret}, {"LOG_LEVEL", "loud"}})
                .find("LOG_LEVEL"),
            std::string::npos);
}

TEST(Config, EnvExampleListsEverySettingAndMatchesTheCommittedFile) {
  const std::string rendered = render_env_example();
  for (const auto& s : setting_specs()) {
    EXPECT_NE(rendered.find("\n" + std::string(s.name) + "="), std::string::npos) << s.name;
  }
  std::ifstream in(testing::repo_dir() + "/.env.example");
  ASSERT_TRUE(in) << ".env.example is missing";
  std::stringstream committed;
  committed << in.rdbuf();
  EXPECT_EQ(committed.str(), rendered) << "regenerate with: bin/omnitrackiq config --env-example > .env.example";
}

TEST(Config, TokenEncryptionKeyIsRequiredAndChecked) {
  EXPECT_NE(load_error({{"DATABASE_URL", "postgresql:///x"}, {"JWT_SECRET", kSecret}, {"TOKEN_ENCRYPTION_KEY", ""}})
                .find("TOKEN_ENCRYPTION_KEY is required"),
            std::string::npos);
  EXPECT_NE(
      load_error({{"DATABASE_URL", "postgresql:///x"}, {"JWT_SECRET", kSecret}, {"TOKEN_ENCRYPTION_KEY", "k1:short"}})
          .find("32 bytes"),
      std::string::npos);
  EXPECT_NE(load_error({{"DATABASE_URL", "postgresql:///x"},
                        {"JWT_SECRET", kSecret},
                        {"TOKEN_ENCRYPTION_KEY", "k1:" + std::string(64, 'a') + ",k1:" + std::string(64, 'b')}})
                .find("appears twice"),
            std::string::npos);
  // migrate does not touch credentials and runs without the key.
  EXPECT_NO_THROW(Config::load(env_of({{"DATABASE_URL", "postgresql:///x"}, {"TOKEN_ENCRYPTION_KEY", ""}}),
                               Config::Purpose::migrate, false));
}

TEST(Config, ProviderBaseUrlsAreChecked) {
  EXPECT_NE(
      load_error({{"DATABASE_URL", "postgresql:///x"}, {"JWT_SECRET", kSecret}, {"SHOPIFY_API_BASE", "https://x"}})
          .find("{shop}"),
      std::string::npos);
  EXPECT_NE(load_error({{"DATABASE_URL", "postgresql:///x"}, {"JWT_SECRET", kSecret}, {"META_API_BASE", "ftp://x"}})
                .find("META_API_BASE"),
            std::string::npos);
  EXPECT_NE(load_error({{"DATABASE_URL", "postgresql:///x"}, {"JWT_SECRET", kSecret}, {"META_APP_ID", "123"}})
                .find("META_APP_SECRET"),
            std::string::npos);
}

TEST(Config, ReadmeDocumentsEverySetting) {
  std::ifstream in(testing::repo_dir() + "/README.md");
  ASSERT_TRUE(in);
  std::stringstream readme;
  readme << in.rdbuf();
  for (const auto& s : setting_specs()) {
    EXPECT_NE(readme.str().find("| `" + std::string(s.name) + "`"), std::string::npos)
        << s.name << " missing from README";
  }
}

TEST(Config, SecretsHaveNoDefaultInTheExample) {
  const std::string rendered = render_env_example();
  EXPECT_NE(rendered.find("\nJWT_SECRET=\n"), std::string::npos);
  EXPECT_NE(rendered.find("\nDATABASE_URL=\n"), std::string::npos);
  EXPECT_NE(rendered.find("\nTOKEN_ENCRYPTION_KEY=\n"), std::string::npos);
  EXPECT_NE(rendered.find("\nSHOPIFY_API_SECRET=\n"), std::string::npos);
}

}  // namespace
}  // namespace otq

namespace otq {
namespace {

TEST(Config, StripePricesJoinThePlanCatalogue) {
  auto load = [](const std::string& prices) {
    return Config::load(env_of({{"DATABASE_URL", "postgresql:///x"}, {"STRIPE_PRICES", prices}}),
                        Config::Purpose::migrate, false);
  };
  const Config c = load(" growth:month=price_1Gm , growth:year=price_1Gy,,agency:month=price_1Am ");
  const auto found = c.billing.catalog.by_stripe_price("price_1Gy");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->first->id, "growth");
  EXPECT_EQ(found->second, "year");
  EXPECT_EQ(c.billing.catalog.find("agency")->prices.at("month").stripe_price, "price_1Am");
  EXPECT_TRUE(c.billing.catalog.find("agency")->prices.at("year").stripe_price.empty()) << "not sold yearly";

  auto error = [&](const std::string& prices) {
    try {
      load(prices);
    } catch (const ConfigError& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  EXPECT_NE(error("platinum:month=price_1").find("'platinum'"), std::string::npos);
  EXPECT_NE(error("growth:week=price_1").find("no week price"), std::string::npos);
  EXPECT_NE(error("free:month=price_1").find("free plan"), std::string::npos);
  EXPECT_NE(error("growth:month=prod_1").find("not a Stripe Price id"), std::string::npos);
  EXPECT_NE(error("growth:month=price_1,growth:year=price_1").find("used twice"), std::string::npos);
  EXPECT_NE(error("growth=price_1").find("growth:month=price_123"), std::string::npos);
}

}  // namespace
}  // namespace otq
