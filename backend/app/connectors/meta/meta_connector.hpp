// Meta (Facebook) Marketing API: campaign-level daily insights -> ad_spend.
#pragma once

#include <memory>

#include "app/connectors/connector.hpp"

namespace otq::connectors::meta {

/// Settings (integration.settings): `ad_account_ids` (["act_1", ...]; empty: every ad account the
/// token can read), `purchase_action_type` (default "omni_purchase": Meta's purchase types
/// overlap, so exactly one is counted), `backfill_days` (first sync, default 90),
/// `restatement_days` (re-pulled on every sync because Meta restates them, default 28).
class MetaConnector : public Connector {
 public:
  void sync(SyncContext& ctx) override;
};

/// An ad account the Meta login can read (/me/adaccounts).
struct AdAccount {
  std::string id;  ///< act_<digits>
  std::string name;
  std::string currency;
  std::string timezone;  ///< IANA name; Meta reports the account's days in it
  std::string status;    ///< active | disabled | unsettled | in_review | closed | other
};

/// Every ad account the token can read, all pages followed. Throws NeedsUser (token rejected) or
/// Transient (Meta failed or could not be reached).
/// `policy`: a request handler waits less than a sync does.
std::vector<AdAccount> list_ad_accounts(HttpClient& http, const ProviderSettings& providers, const std::string& token,
                                        const RetryPolicy& policy = {});

/// One page of an insights response, read.
struct InsightsPage {
  std::vector<schemas::ingest::SpendRow> rows;
  std::vector<std::string> errors;  ///< the rows it could not read
  std::string next;                 ///< the next page's URL; empty after the last
};

/// Reads insights pages (response bodies) without building a tree (simdjson On Demand: a
/// million-row backfill spent most of its worker time building nlohmann trees). One page at a
/// time: the reader keeps its buffers from page to page.
class InsightsReader {
 public:
  InsightsReader();
  ~InsightsReader();
  InsightsReader(const InsightsReader&) = delete;
  InsightsReader& operator=(const InsightsReader&) = delete;

  /// Throws Transient when the body is not JSON or not a page of insights.
  InsightsPage read(std::string_view body, const std::string& ad_account_id, const std::string& purchase_action_type);

 private:
  struct Parser;
  std::unique_ptr<Parser> parser_;
};

/// Meta's "Please reduce the amount of data you're asking for" (code 1, subcode 99): too much for
/// one synchronous request. The connector reads that window through an asynchronous report job.
class TooMuchData : public Transient {
 public:
  using Transient::Transient;
};

/// The Graph API error envelope as the connector's exceptions (NeedsUser, Transient, TooMuchData).
[[noreturn]] void raise_for(const HttpResponse& res);

/// How long to wait before the next call, read from Meta's usage headers (X-App-Usage,
/// X-Ad-Account-Usage, X-Business-Use-Case-Usage, X-FB-Ads-Insights-Throttle), so a sync slows
/// down before Meta throttles it: nothing below 75% of any quota; from there a pause growing to
/// 60 s at 100%; at 95% or more, at least the reset time Meta announces (`reset_time_duration`
/// seconds, `estimated_time_to_regain_access` minutes). Never more than 10 minutes.
std::chrono::seconds usage_pause(const HttpResponse& res);

}  // namespace otq::connectors::meta
