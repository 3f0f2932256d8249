// Entry point: parses the command line, loads configuration, and runs one subcommand.
#include <iostream>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "app/commands.hpp"
#include "app/config.hpp"
#include "app/logging.hpp"
#include "app/security/random.hpp"

namespace {

std::string settings_help() {
  std::string out = "\nEnvironment variables:\n";
  for (const auto& s : otq::setting_specs()) {
    out += fmt::format("  {:<34} {}{}\n", s.name, s.description,
                       s.default_value.empty() ? "" : fmt::format(" [default: {}]", s.default_value));
  }
  return out;
}

// Loads config or prints the problem; returns nullopt on failure.
std::optional<otq::Config> load_config(otq::Config::Purpose purpose, bool dev, std::optional<int> port) {
  try {
    otq::Config c = otq::Config::load(otq::process_env(), purpose, dev);
    if (port) c.port = static_cast<std::uint16_t>(*port);
    return c;
  } catch (const otq::ConfigError& e) {
    std::cerr << "omnitrackiq: configuration error: " << e.what() << "\n";
    return std::nullopt;
  }
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App cli{"OmniTrackIQ: marketing analytics for e-commerce brands and agencies"};
  cli.footer(settings_help());
  cli.require_subcommand(1);
  cli.set_version_flag("--version", OTQ_VERSION);

  bool dev = false;
  std::optional<int> port;
  auto* serve = cli.add_subcommand("serve", "Serve the API under /api/v1 and the web app at /");
  serve->add_option("--port", port, "TCP port (overrides PORT)")->check(CLI::Range(0, 65535));
  serve->add_flag("--dev", dev, "Development mode: allows a short or missing JWT_SECRET, no HSTS");
  auto* migrate = cli.add_subcommand("migrate", "Apply pending database migrations (safe to run concurrently)");
  auto* seed = cli.add_subcommand("seed-demo", "Create a demo login with stores full of realistic data");
  otq::services::DemoOptions demo;
  std::optional<std::string> demo_password;
  seed->add_option("--email", demo.email, "Demo login email")->capture_default_str();
  seed->add_option("--password", demo_password, "Demo login password (default: random, printed)");
  seed->add_option("--days", demo.days, "Days of history")->capture_default_str()->check(CLI::Range(7, 1096));
  seed->add_option("--orders", demo.orders, "Orders of the main store")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  seed->add_option("--accounts", demo.accounts, "Stores: the main one plus smaller client stores")
      ->capture_default_str()
      ->check(CLI::Range(1, 10000));
  seed->add_option("--orders-per-extra", demo.orders_per_extra, "Orders of each smaller store")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  seed->add_option("--seed", demo.seed, "Random seed: the same seed gives the same data")->capture_default_str();
  seed->add_option("--end-date", demo.end_date, "Last day of data, YYYY-MM-DD (default: today, up to now)");
  seed->add_flag("--if-empty", demo.if_empty, "Do nothing when the database already has accounts");
  auto* rollups = cli.add_subcommand("rollups", "Maintain the metrics rollups");
  auto* rebuild = rollups->add_subcommand("rebuild", "Recompute the daily rollups from raw rows");
  rollups->require_subcommand(1);
  std::optional<std::string> rebuild_account;
  rebuild->add_option("--account", rebuild_account, "Only this account (public id, acct_...)");
  auto* worker = cli.add_subcommand("worker", "Run the background job worker (connector syncs, alerts, reports)");
  bool worker_dev = false;
  worker->add_flag("--dev", worker_dev, "Development: allow running without TOKEN_ENCRYPTION_KEY");
  auto* credentials = cli.add_subcommand("credentials", "Maintain stored provider credentials");
  auto* reseal = credentials->add_subcommand(
      "reseal", "Re-seal every credential under TOKEN_ENCRYPTION_KEY's first key (after adding a new key)");
  credentials->require_subcommand(1);
  auto* account_cmd = cli.add_subcommand("account", "An account's data rights, from the shell");
  account_cmd->require_subcommand(1);
  std::string account_id, export_output, erase_confirmation;
  auto* account_export = account_cmd->add_subcommand("export", "Write the account's archive (tar.gz of CSV and JSON)");
  account_export->add_option("--account", account_id, "Account public id (acct_...)")->required();
  account_export->add_option("--output", export_output, "File to write")->required();
  auto* account_erase = account_cmd->add_subcommand("erase", "Erase the account and all its data, for good");
  account_erase->add_option("--account", account_id, "Account public id (acct_...)")->required();
  account_erase->add_option("--confirm", erase_confirmation, "The same account id again")->required();
  auto* config_cmd = cli.add_subcommand("config", "Print configuration help");
  bool env_example = false;
  config_cmd->add_flag("--env-example", env_example, "Print .env.example generated from the settings table");

  CLI11_PARSE(cli, argc, argv);

  if (config_cmd->parsed()) {
    std::cout << (env_example ? otq::render_env_example() : settings_help());
    return otq::commands::kExitOk;
  }
  const auto purpose = serve->parsed()                          ? otq::Config::Purpose::serve
                       : (worker->parsed() || reseal->parsed()) ? otq::Config::Purpose::worker
                                                                : otq::Config::Purpose::migrate;
  auto config = load_config(purpose, dev || worker_dev, port);
  if (!config) return otq::commands::kExitConfig;
  if (serve->parsed() || worker->parsed()) otq::commands::block_stop_signals();  // before the logger's thread
  otq::log::init(config->log_level);

  if (serve->parsed()) {
    if (config->jwt_secret.size() < 32) {
      // Only reachable with --dev: sessions will not survive a restart, which is fine locally.
      config->jwt_secret = otq::security::random_hex(32);
      otq::log::warn("jwt_secret_generated", {{"detail", "JWT_SECRET unset or short; using a random one (--dev)"}});
    }
    return otq::commands::serve(*config);
  }
  if (worker->parsed()) return otq::commands::worker(*config);
  if (reseal->parsed()) return otq::commands::reseal_credentials(*config);
  if (migrate->parsed()) return otq::commands::migrate(*config);
  if (seed->parsed()) {
    demo.password = demo_password;
    return otq::commands::seed_demo(*config, demo);
  }
  if (rebuild->parsed()) return otq::commands::rebuild_rollups(*config, rebuild_account);
  if (account_export->parsed()) return otq::commands::export_account(*config, account_id, export_output);
  if (account_erase->parsed()) return otq::commands::erase_account(*config, account_id, erase_confirmation);
  return otq::commands::kExitFailure;  // unreachable: require_subcommand(1) and every subcommand is handled above
}
