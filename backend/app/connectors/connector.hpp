// The connector interface: what a provider (Meta Ads, Shopify, ...) implements to sync into
// OmniTrackIQ. A new provider is one folder under connectors/ plus a line in registry.cpp.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/config.hpp"
#include "app/connectors/http_client.hpp"
#include "app/schemas/ingest.hpp"

namespace otq::connectors {

enum class AuthKind { oauth, api_key };

/// What the integrations page shows for a provider, whether or not it is connected.
struct ProviderInfo {
  std::string id;        ///< stored name: facebook_ads, shopify, ...
  std::string label;     ///< "Meta Ads"
  std::string category;  ///< ads | store | analytics
  AuthKind auth = AuthKind::oauth;
  bool connectable = false;          ///< false: "Coming soon" (no connect flow yet)
  bool syncs = false;                ///< a connector exists: the scheduler syncs connections
  std::vector<std::string> streams;  ///< what a sync reads, each with its own cursor
};

/// The user must act: the token was revoked or expired, a permission is missing, a setting is
/// wrong. The integration goes to `error` with this message and is not retried until they do.
class NeedsUser : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Worth retrying later (the provider throttled us, failed, or could not be reached).
class Transient : public std::runtime_error {
 public:
  explicit Transient(const std::string& message, std::optional<std::chrono::seconds> retry_after = std::nullopt)
      : std::runtime_error(message), retry_after_(retry_after) {}
  std::optional<std::chrono::seconds> retry_after() const { return retry_after_; }

 private:
  std::optional<std::chrono::seconds> retry_after_;
};

/// The worker is stopping; the connector stops at its next checkpoint and the job is given back.
class Cancelled : public std::runtime_error {
 public:
  Cancelled() : std::runtime_error("the worker is shutting down") {}
};

/// What a connector may use during a sync. Writes go through the same idempotent natural-key
/// upserts as the ingest API; each write commits its rows, the stream's new cursor and the run's
/// progress in one transaction, so a sync killed at any point resumes from its last commit and
/// never doubles a row. Writes are asynchronous: a write returns once the batch is handed over
/// and is committed while the connector fetches the next page; writes commit in the order they
/// were made, and a failed write is thrown by the next write, cursor read or the end of the sync.
class SyncContext {
 public:
  virtual ~SyncContext() = default;

  virtual const std::string& provider() const = 0;
  virtual const std::string& external_account_id() const = 0;
  /// The decrypted credentials (e.g. {"access_token": ...}). Never log them.
  virtual const nlohmann::json& credentials() const = 0;
  virtual const nlohmann::json& settings() const = 0;
  virtual const ProviderSettings& providers() const = 0;
  virtual HttpClient& http() = 0;

  virtual std::optional<nlohmann::json> cursor(const std::string& stream) = 0;
  /// Stores rows and, when given, the stream's cursor, in one transaction (after the previous
  /// write has committed). Bounded batches: at most SYNC_BATCH_ROWS rows per call.
  /// `new_rows`: the rows are known not to be stored (their window had nothing when its pull
  /// began, see spend_stored): plain inserts, about half the database's work of an upsert. Should
  /// one be stored after all (another writer, a provider repeating a row), the batch is upserted.
  virtual void write_spend(std::vector<schemas::ingest::SpendRow> rows, bool new_rows, const std::string& stream,
                           const std::optional<nlohmann::json>& cursor) = 0;
  /// Whether any spend of the ad account is stored between two days (inclusive), after every
  /// write made so far.
  virtual bool spend_stored(const std::string& platform, const std::string& ad_account_id, const std::string& from,
                            const std::string& to) = 0;
  virtual void write_orders(std::vector<schemas::ingest::OrderRow> rows, const std::string& stream,
                            const std::optional<nlohmann::json>& cursor) = 0;
  /// Ends a re-pulled window: deletes the window's stored spend rows the provider no longer
  /// reports and saves the stream's cursor, in one transaction.
  virtual void replace_spend_window(const schemas::ingest::SpendWindow& window, const std::string& stream,
                                    const nlohmann::json& cursor) = 0;
  /// Rows read from the provider (for the run's counters).
  virtual void add_read(std::int64_t rows) = 0;
  /// Throws Cancelled when the worker is stopping; connectors call it between requests.
  virtual void checkpoint() = 0;
  /// Waits `duration` before the next request (pacing under a provider's rate limit); throws
  /// Cancelled as soon as the worker is stopping.
  virtual void pause(std::chrono::milliseconds duration) = 0;
  /// Today's date (UTC) as YYYY-MM-DD; injectable for tests.
  virtual std::string today() const = 0;
  /// Today's date in an IANA time zone (an ad account's), as YYYY-MM-DD; UTC's when the zone is
  /// empty or unknown.
  virtual std::string today_in(const std::string& time_zone) = 0;
};

class Connector {
 public:
  virtual ~Connector() = default;
  /// One incremental sync of every stream. Throws NeedsUser, Transient or Cancelled; any other
  /// exception counts as transient.
  virtual void sync(SyncContext& ctx) = 0;
};

}  // namespace otq::connectors
