// Parsing and validation of the environment into Config.
#include "app/config.hpp"

#include <array>
#include <charconv>
#include <cstdlib>
#include <fstream>
#include <iterator>

#include <fmt/format.h>

#include "app/embedded.hpp"
#include "app/security/credential_cipher.hpp"

namespace otq {
namespace {

// Defaults live here and only here; Config's member initialisers are overwritten by load().
constexpr std::array kSettings{
    SettingSpec{"HOST", "127.0.0.1", "Interface to listen on; 0.0.0.0 to accept outside connections (behind a proxy).",
                false, false},
    SettingSpec{"PORT", "8080", "TCP port of the HTTP server (0 picks a free port; `serve --port` overrides).", false,
                false},
    SettingSpec{"METRICS_PORT", "",
                "Port of the admin listener of `serve` and `worker`: GET /metrics (Prometheus) and GET /health. "
                "Empty: off; 0 picks a free port. Scrape it from inside your network; never publish it.",
                false, false},
    SettingSpec{"METRICS_HOST", "127.0.0.1", "Interface of the admin listener (METRICS_PORT).", false, false},
    SettingSpec{"DATABASE_URL", "",
                "PostgreSQL connection URI. `make run` starts a private cluster under .data/ when unset.", true, true},
    SettingSpec{"DATABASE_POOL_SIZE", "10", "Maximum open PostgreSQL connections per process (1-500).", false, false},
    SettingSpec{"DATABASE_CONNECT_TIMEOUT_SECONDS", "5", "Seconds to wait for a new PostgreSQL connection (1-60).",
                false, false},
    SettingSpec{"DATABASE_ACQUIRE_TIMEOUT_MS", "2000",
                "Milliseconds a request waits for a free pooled connection before a 503 (10-60000).", false, false},
    SettingSpec{"DATABASE_STATEMENT_TIMEOUT_MS", "10000",
                "PostgreSQL statement_timeout for request queries (100-600000).", false, false},
    SettingSpec{"HTTP_THREADS", "2", "Threads running network I/O; they never wait on the database (1-64).", false,
                false},
    SettingSpec{"WORKER_THREADS", "8", "Threads running handlers that touch the database or hash passwords (1-256).",
                false, false},
    SettingSpec{"WORKER_QUEUE_LIMIT", "1024", "Requests waiting for a worker before new ones get 503 (1-100000).",
                false, false},
    SettingSpec{"REQUEST_TIMEOUT_MS", "15000",
                "Upper bound on one request's handling; longer ones are cut off (100-300000).", false, false},
    SettingSpec{"SHUTDOWN_TIMEOUT_SECONDS", "10", "On SIGTERM, seconds to let in-flight requests finish (0-300).",
                false, false},
    SettingSpec{"MAX_BODY_BYTES", "1048576", "Largest accepted request body in bytes; larger get 413 (1024-104857600).",
                false, false},
    SettingSpec{"METRICS_CACHE_MB", "64",
                "Memory for cached metrics answers, in MiB (0-4096; 0 turns the cache off). Answers are keyed by "
                "the account's data version, so a cached answer is never stale.",
                false, false},
    SettingSpec{"JWT_SECRET", "",
                "HS256 signing secret, at least 32 bytes (`openssl rand -hex 32`). Only --dev may run without.", true,
                true},
    SettingSpec{"TOKEN_ENCRYPTION_KEY", "",
                "Keys sealing provider credentials (AES-256-GCM): id:key[,id:key...], the first encrypts, all "
                "decrypt (rotation). Key: `openssl rand -base64 32`. Only --dev may run without.",
                true, true},
    SettingSpec{"INGEST_MAX_BODY_BYTES", "16777216",
                "Largest body of an ingest batch (5,000 rows) in bytes; larger get 413 (1024-268435456).", false,
                false},
    SettingSpec{"JOB_WORKERS", "2", "Consumer threads of `omnitrackiq worker` (1-64).", false, false},
    SettingSpec{"JOB_LEASE_SECONDS", "300",
                "A taken job is retried by another worker if its worker is silent this long (2-86400).", false, false},
    SettingSpec{"JOB_MAX_ATTEMPTS", "5", "Attempts before a failing job is dead-lettered (1-100).", false, false},
    SettingSpec{"JOB_RETRY_BASE_SECONDS", "30",
                "First retry delay of a failed job; doubles per attempt, with jitter, up to 6 h (1-3600).", false,
                false},
    SettingSpec{"JOB_POLL_MS", "1000", "How often an idle worker looks for jobs, in ms (50-60000).", false, false},
    SettingSpec{"OUTBOUND_TIMEOUT_SECONDS", "30", "Timeout of one request to a provider's API (1-600).", false, false},
    SettingSpec{"SYNC_BATCH_ROWS", "5000",
                "Rows a sync gathers before writing them in one transaction (1-50000): larger batches write faster, "
                "smaller ones commit more often.",
                false, false},
    SettingSpec{"META_APP_ID", "", "Meta app id for Facebook Login (Meta Ads). Empty: Meta cannot be connected.", false,
                false},
    SettingSpec{"META_APP_SECRET", "", "Meta app secret.", true, false},
    SettingSpec{"META_API_VERSION", "v25.0", "Graph API version of every Meta call.", false, false},
    SettingSpec{"META_API_BASE", "https://graph.facebook.com", "Graph API base URL (tests point it elsewhere).", false,
                false},
    SettingSpec{"META_OAUTH_BASE", "https://www.facebook.com", "Base URL of the Facebook Login dialog.", false, false},
    SettingSpec{"SHOPIFY_API_KEY", "", "Shopify app client id (API key). Empty: Shopify cannot be connected.", false,
                false},
    SettingSpec{"SHOPIFY_API_SECRET", "", "Shopify app client secret; also verifies OAuth callbacks and webhooks.",
                true, false},
    SettingSpec{"SHOPIFY_API_VERSION", "2026-07", "Shopify Admin API version (YYYY-MM).", false, false},
    SettingSpec{"SHOPIFY_API_BASE", "https://{shop}",
                "Base URL of a shop's Admin API and OAuth pages; {shop} is the *.myshopify.com domain.", false, false},
    SettingSpec{"SHOPIFY_SCOPES", "read_orders,read_all_orders,read_customers", "Scopes the Shopify app asks for.",
                false, false},
    SettingSpec{"BILLING_PLANS_FILE", "",
                "JSON plan catalogue (prices shown, limits enforced) replacing the built-in config/plans.json.", false,
                false},
    SettingSpec{"STRIPE_SECRET_KEY", "",
                "Stripe secret (sk_...) or restricted (rk_...) key. Empty: checkout and the billing portal are off.",
                true, false},
    SettingSpec{"STRIPE_WEBHOOK_SECRET", "",
                "Signing secret of the Stripe webhook endpoint (whsec_...); comma-separated while rotating. Empty: "
                "webhooks are refused.",
                true, false},
    SettingSpec{"STRIPE_PRICES", "",
                "Stripe Price id per plan and interval: growth:month=price_...,growth:year=price_...,agency:month=...",
                false, false},
    SettingSpec{"STRIPE_API_BASE", "https://api.stripe.com", "Stripe API base URL (tests point it elsewhere).", false,
                false},
    SettingSpec{"STRIPE_API_VERSION", "2026-08-26.dahlia",
                "Stripe-Version sent with every Stripe call; set the webhook endpoint to the same version.", false,
                false},
    SettingSpec{"BCRYPT_COST", "12",
                "bcrypt work factor for new password hashes (10-15; each step doubles the time, 12 is ~170 ms).", false,
                false},
    SettingSpec{
        "TRUST_PROXY_HEADERS", "false",
        "true only behind your own proxy: take the client IP (login throttling, audit log) from X-Forwarded-For.",
        false, false},
    SettingSpec{"CORS_ORIGINS", "",
                "Comma-separated origins allowed to call the API from a browser (e.g. https://app.example.com). Empty: "
                "same origin only.",
                false, false},
    SettingSpec{"PUBLIC_URL", "http://localhost:8080",
                "Base URL people open the app at; used in links in emails (no trailing slash).", false, false},
    SettingSpec{"STATIC_DIR", "frontend/out", "Directory of the built frontend served at /.", false, false},
    SettingSpec{"LOG_LEVEL", "info", "One of trace, debug, info, warn, error.", false, false},
};

class Reader {
 public:
  Reader(const EnvLookup& env) : env_(env) {}

  std::string string(std::string_view name) const {
    if (auto v = env_(name); v.has_value() && !v->empty()) return *v;
    return std::string(spec(name).default_value);
  }

  bool boolean(std::string_view name) const {
    const std::string raw = string(name);
    if (raw == "true" || raw == "1") return true;
    if (raw == "false" || raw == "0") return false;
    throw ConfigError(fmt::format("{} must be true or false (got '{}')", name, raw));
  }

  std::int64_t integer(std::string_view name, std::int64_t min, std::int64_t max) const {
    const std::string raw = string(name);
    std::int64_t value = 0;
    const auto* end = raw.data() + raw.size();
    auto [ptr, ec] = std::from_chars(raw.data(), end, value);
    if (ec != std::errc{} || ptr != end || value < min || value > max) {
      throw ConfigError(fmt::format("{} must be an integer from {} to {} (got '{}')", name, min, max, raw));
    }
    return value;
  }

 private:
  static const SettingSpec& spec(std::string_view name) {
    for (const auto& s : kSettings) {
      if (s.name == name) return s;
    }
    std::abort();  // a name missing from kSettings is a programming error caught by any test
  }
  const EnvLookup& env_;
};

// An http(s) base URL without a trailing slash.
std::string base_url(const Reader& r, std::string_view name) {
  std::string v = r.string(name);
  if (!(v.starts_with("http://") || v.starts_with("https://")) || v.ends_with("/")) {
    throw ConfigError(fmt::format("{} must be an http(s) URL without a trailing slash (got '{}')", name, v));
  }
  return v;
}

// Comma-separated, blanks trimmed, empty items dropped.
std::vector<std::string> split_list(const std::string& raw) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= raw.size()) {
    std::size_t comma = raw.find(',', start);
    if (comma == std::string::npos) comma = raw.size();
    std::string item = raw.substr(start, comma - start);
    const auto first = item.find_first_not_of(" \t");
    const auto last = item.find_last_not_of(" \t");
    if (first != std::string::npos) out.push_back(item.substr(first, last - first + 1));
    start = comma + 1;
  }
  return out;
}

std::vector<std::string> split_origins(const std::string& raw) {
  std::vector<std::string> out = split_list(raw);
  for (const auto& item : out) {
    const bool scheme_ok = item.starts_with("http://") || item.starts_with("https://");
    if (!scheme_ok || item.ends_with("/") || item.find('*') != std::string::npos) {
      throw ConfigError(
          fmt::format("CORS_ORIGINS entries must be exact origins like https://app.example.com without a path or "
                      "wildcard (got '{}')",
                      item));
    }
  }
  return out;
}

}  // namespace

std::span<const SettingSpec> setting_specs() {
  return kSettings;
}

std::string render_env_example() {
  std::string out =
      "# OmniTrackIQ configuration. Every variable the service reads is listed here with its default.\n"
      "# Generated by `omnitrackiq config --env-example`; a test keeps this file and the code in step.\n"
      "# Copy to .env, fill in secrets, and never commit the copy.\n";
  for (const auto& s : kSettings) {
    out += fmt::format("\n# {}{}\n", s.description, s.required ? " Required." : "");
    if (s.secret) {
      out += fmt::format("{}=\n", s.name);
    } else {
      out += fmt::format("{}={}\n", s.name, s.default_value);
    }
  }
  return out;
}

EnvLookup process_env() {
  return [](std::string_view name) -> std::optional<std::string> {
    const char* v = std::getenv(std::string(name).c_str());  // NOLINT(concurrency-mt-unsafe): read at start-up only
    if (v == nullptr) return std::nullopt;
    return std::string(v);
  };
}

Config Config::load(const EnvLookup& env, Purpose purpose, bool dev_mode) {
  const Reader r(env);
  Config c;
  c.dev_mode = dev_mode;
  c.host = r.string("HOST");
  c.port = static_cast<std::uint16_t>(r.integer("PORT", 0, 65535));
  if (!r.string("METRICS_PORT").empty()) {
    c.metrics_port = static_cast<std::uint16_t>(r.integer("METRICS_PORT", 0, 65535));
  }
  c.metrics_host = r.string("METRICS_HOST");
  c.database_url = r.string("DATABASE_URL");
  if (c.database_url.empty()) {
    throw ConfigError("DATABASE_URL is required (e.g. postgresql://user:pass@localhost:5432/omnitrackiq)");
  }
  if (!c.database_url.starts_with("postgresql://") && !c.database_url.starts_with("postgres://") &&
      c.database_url.find('=') == std::string::npos) {
    throw ConfigError("DATABASE_URL must be a postgresql:// URI or a libpq key=value string");
  }
  c.database_pool_size = static_cast<std::size_t>(r.integer("DATABASE_POOL_SIZE", 1, 500));
  c.database_connect_timeout = std::chrono::seconds(r.integer("DATABASE_CONNECT_TIMEOUT_SECONDS", 1, 60));
  c.database_acquire_timeout = std::chrono::milliseconds(r.integer("DATABASE_ACQUIRE_TIMEOUT_MS", 10, 60000));
  c.database_statement_timeout = std::chrono::milliseconds(r.integer("DATABASE_STATEMENT_TIMEOUT_MS", 100, 600000));
  c.http_threads = static_cast<std::size_t>(r.integer("HTTP_THREADS", 1, 64));
  c.worker_threads = static_cast<std::size_t>(r.integer("WORKER_THREADS", 1, 256));
  c.worker_queue_limit = static_cast<std::size_t>(r.integer("WORKER_QUEUE_LIMIT", 1, 100000));
  c.request_timeout = std::chrono::milliseconds(r.integer("REQUEST_TIMEOUT_MS", 100, 300000));
  c.shutdown_timeout = std::chrono::seconds(r.integer("SHUTDOWN_TIMEOUT_SECONDS", 0, 300));
  c.max_body_bytes = static_cast<std::size_t>(r.integer("MAX_BODY_BYTES", 1024, 100 * 1024 * 1024));
  c.metrics_cache_bytes = static_cast<std::size_t>(r.integer("METRICS_CACHE_MB", 0, 4096)) * 1024 * 1024;
  c.bcrypt_cost = static_cast<int>(r.integer("BCRYPT_COST", 10, 15));
  c.trust_proxy_headers = r.boolean("TRUST_PROXY_HEADERS");
  c.cors_origins = split_origins(r.string("CORS_ORIGINS"));
  c.public_url = r.string("PUBLIC_URL");
  if (!(c.public_url.starts_with("http://") || c.public_url.starts_with("https://")) || c.public_url.ends_with("/")) {
    throw ConfigError(
        fmt::format("PUBLIC_URL must be an http(s) URL without a trailing slash (got '{}')", c.public_url));
  }
  c.static_dir = r.string("STATIC_DIR");
  c.log_level = r.string("LOG_LEVEL");
  if (c.log_level != "trace" && c.log_level != "debug" && c.log_level != "info" && c.log_level != "warn" &&
      c.log_level != "error") {
    throw ConfigError(fmt::format("LOG_LEVEL must be one of trace, debug, info, warn, error (got '{}')", c.log_level));
  }

  c.ingest_max_body_bytes = static_cast<std::size_t>(r.integer("INGEST_MAX_BODY_BYTES", 1024, 256 * 1024 * 1024));
  c.job_workers = static_cast<std::size_t>(r.integer("JOB_WORKERS", 1, 64));
  c.job_lease = std::chrono::seconds(r.integer("JOB_LEASE_SECONDS", 2, 86400));
  c.job_max_attempts = static_cast<int>(r.integer("JOB_MAX_ATTEMPTS", 1, 100));
  c.job_poll = std::chrono::milliseconds(r.integer("JOB_POLL_MS", 50, 60000));
  c.job_retry_base = std::chrono::seconds(r.integer("JOB_RETRY_BASE_SECONDS", 1, 3600));
  c.outbound_timeout = std::chrono::seconds(r.integer("OUTBOUND_TIMEOUT_SECONDS", 1, 600));
  auto& p = c.providers;
  p.meta_app_id = r.string("META_APP_ID");
  p.meta_app_secret = r.string("META_APP_SECRET");
  p.meta_api_version = r.string("META_API_VERSION");
  p.meta_api_base = base_url(r, "META_API_BASE");
  p.meta_oauth_base = base_url(r, "META_OAUTH_BASE");
  p.shopify_client_id = r.string("SHOPIFY_API_KEY");
  p.shopify_client_secret = r.string("SHOPIFY_API_SECRET");
  p.shopify_api_version = r.string("SHOPIFY_API_VERSION");
  p.shopify_api_base = base_url(r, "SHOPIFY_API_BASE");
  p.shopify_scopes = r.string("SHOPIFY_SCOPES");
  p.sync_batch_rows = static_cast<int>(r.integer("SYNC_BATCH_ROWS", 1, 50000));
  if (p.shopify_api_base.find("{shop}") == std::string::npos) {
    throw ConfigError("SHOPIFY_API_BASE must contain {shop}, e.g. https://{shop}");
  }
  if (!p.meta_app_id.empty() && p.meta_app_secret.empty())
    throw ConfigError("META_APP_SECRET is required with META_APP_ID");
  if (!p.shopify_client_id.empty() && p.shopify_client_secret.empty()) {
    throw ConfigError("SHOPIFY_API_SECRET is required with SHOPIFY_API_KEY");
  }

  auto& b = c.billing;
  b.stripe_secret_key = r.string("STRIPE_SECRET_KEY");
  if (!b.stripe_secret_key.empty() && !b.stripe_secret_key.starts_with("sk_") &&
      !b.stripe_secret_key.starts_with("rk_")) {
    throw ConfigError("STRIPE_SECRET_KEY must be a Stripe secret key (sk_...) or restricted key (rk_...)");
  }
  for (auto& secret : split_list(r.string("STRIPE_WEBHOOK_SECRET"))) {
    if (!secret.starts_with("whsec_")) {
      throw ConfigError("STRIPE_WEBHOOK_SECRET must hold webhook signing secrets (whsec_...), comma-separated");
    }
    b.webhook_secrets.push_back(std::move(secret));
  }
  b.stripe_api_base = base_url(r, "STRIPE_API_BASE");
  b.stripe_api_version = r.string("STRIPE_API_VERSION");
  const std::string plans_file = r.string("BILLING_PLANS_FILE");
  std::string catalogue(embedded::default_plans());
  if (!plans_file.empty()) {
    std::ifstream in(plans_file, std::ios::binary);
    if (!in) throw ConfigError(fmt::format("BILLING_PLANS_FILE: cannot read '{}'", plans_file));
    catalogue.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  try {
    b.catalog = schemas::billing::Catalog::parse(catalogue, split_list(r.string("STRIPE_PRICES")));
  } catch (const std::invalid_argument& e) {
    throw ConfigError(fmt::format("{}: {}", plans_file.empty() ? "plans" : "BILLING_PLANS_FILE", e.what()));
  }

  if (purpose == Purpose::serve) {
    c.jwt_secret = r.string("JWT_SECRET");
    if (c.jwt_secret.size() < 32 && !dev_mode) {
      throw ConfigError(
          fmt::format("JWT_SECRET must be at least 32 bytes (got {}); generate one with `openssl rand -hex 32`",
                      c.jwt_secret.size()));
    }
  }
  if (purpose == Purpose::serve || purpose == Purpose::worker) {
    c.token_encryption_key = r.string("TOKEN_ENCRYPTION_KEY");
    if (c.token_encryption_key.empty() && !dev_mode) {
      throw ConfigError("TOKEN_ENCRYPTION_KEY is required, e.g. k1:$(openssl rand -base64 32)");
    }
    if (!c.token_encryption_key.empty()) {
      try {
        (void)security::CredentialCipher::parse(c.token_encryption_key);
      } catch (const std::invalid_argument& e) {
        throw ConfigError(fmt::format("TOKEN_ENCRYPTION_KEY: {}", e.what()));
      }
    }
  }
  return c;
}

}  // namespace otq
