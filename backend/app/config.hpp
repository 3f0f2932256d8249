// Configuration: one table of settings drives the start-up check, `--help`, and .env.example.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "app/embedded.hpp"
#include "app/schemas/billing.hpp"

namespace otq {

/// One environment variable the service reads.
struct SettingSpec {
  std::string_view name;
  std::string_view default_value;  ///< empty = no default
  std::string_view description;    ///< one line, shown in --help and .env.example
  bool secret;                     ///< never logged or echoed back
  bool required;                   ///< for `serve`/`migrate`; see Config::load
};

/// The table of every setting, in the order .env.example lists them.
std::span<const SettingSpec> setting_specs();

/// .env.example's text, generated from setting_specs(); a test keeps the committed file equal to it.
std::string render_env_example();

/// Looks up one environment variable; injectable so tests never touch the real environment.
using EnvLookup = std::function<std::optional<std::string>(std::string_view)>;

/// The process environment.
EnvLookup process_env();

/// Provider apps (OAuth client ids and secrets) and API endpoints; base URLs are overridable so
/// tests point them at local fake servers.
struct ProviderSettings {
  std::string meta_app_id;
  std::string meta_app_secret;
  std::string meta_api_version;
  std::string meta_api_base;
  std::string meta_oauth_base;
  std::string shopify_client_id;
  std::string shopify_client_secret;
  std::string shopify_api_version;
  std::string shopify_api_base;  ///< contains "{shop}"
  std::string shopify_scopes;
  /// Rows a connector gathers before writing them in one transaction (SYNC_BATCH_ROWS).
  int sync_batch_rows = 5000;
};

/// Stripe and the plan catalogue (docs/billing.md).
struct BillingSettings {
  std::string stripe_secret_key;             ///< empty: checkout and the portal are off
  std::vector<std::string> webhook_secrets;  ///< whsec_..., several during a rotation
  std::string stripe_api_base;
  std::string stripe_api_version;
  /// Plans, limits and their Stripe Price ids (the built-in catalogue until load() reads the settings).
  schemas::billing::Catalog catalog = schemas::billing::Catalog::parse(embedded::default_plans());
};

/// Immutable, validated configuration, built once in main and passed down.
struct Config {
  std::string host;
  std::uint16_t port = 8080;
  std::optional<std::uint16_t> metrics_port;  ///< unset: no admin listener; 0 picks a free port
  std::string metrics_host = "127.0.0.1";
  std::string database_url;
  std::size_t database_pool_size = 10;
  std::chrono::seconds database_connect_timeout{5};
  std::chrono::milliseconds database_acquire_timeout{2000};
  std::chrono::milliseconds database_statement_timeout{10000};
  std::size_t http_threads = 2;
  std::size_t worker_threads = 8;
  std::size_t worker_queue_limit = 1024;
  std::chrono::milliseconds request_timeout{15000};
  std::chrono::seconds shutdown_timeout{10};
  std::size_t max_body_bytes = 1024 * 1024;
  std::size_t metrics_cache_bytes = 64 * 1024 * 1024;
  std::string jwt_secret;
  std::string token_encryption_key;  ///< TOKEN_ENCRYPTION_KEY's key ring; empty only in --dev
  std::size_t ingest_max_body_bytes = 16 * 1024 * 1024;
  std::size_t job_workers = 2;
  std::chrono::seconds job_lease{300};
  int job_max_attempts = 5;
  std::chrono::milliseconds job_poll{1000};
  std::chrono::seconds job_retry_base{30};
  std::chrono::seconds outbound_timeout{30};
  ProviderSettings providers;
  BillingSettings billing;
  int bcrypt_cost = 12;
  bool trust_proxy_headers = false;
  std::vector<std::string> cors_origins;
  std::string public_url;
  std::string static_dir;
  std::string log_level;
  bool dev_mode = false;

  /// What the caller needs: `serve` needs everything, `worker` the database and the credential
  /// keys, `migrate` only the database.
  enum class Purpose { serve, worker, migrate };

  /// Reads and validates every setting. Throws ConfigError naming the first bad variable.
  static Config load(const EnvLookup& env, Purpose purpose, bool dev_mode);
};

/// A setting is missing or invalid; the message names the variable and what is expected.
class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace otq
