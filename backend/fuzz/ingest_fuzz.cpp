// Fuzz target: the ingest API's batches (schemas/ingest: parse_spend_batch, parse_order_batch) and
// the landing-page tag reader parse_utm, on the raw request body as POST /ingest/* passes it.
//
// Contract (docs/ingest.md): a batch parses or throws otq::Error invalid_argument (not a batch),
// unprocessable (empty) or payload_too_large (over 5,000 rows). A parsed batch accounts for every
// row exactly once (accepted or rejected with at least one reason), and an accepted row holds
// what the database's CHECK constraints and the natural keys demand.
#include <algorithm>
#include <set>

#include "app/schemas/ingest.hpp"
#include "contract.hpp"

namespace {

using otq::ErrorCode;
using otq::fuzz::expect_client_errors;
using otq::fuzz::require;
namespace ingest = otq::schemas::ingest;

constexpr std::int64_t kMaxMinor = 1'000'000'000'000'000;

bool in_range(std::int64_t v) {
  return v >= 0 && v <= kMaxMinor;
}

bool currency_ok(const std::string& c) {
  return c.size() == 3 && std::all_of(c.begin(), c.end(), [](char ch) { return ch >= 'A' && ch <= 'Z'; });
}

template <typename Row>
void check_accounting(const ingest::Batch<Row>& batch, const std::string& check) {
  require(batch.indexes.size() == batch.rows.size(), check, "indexes and rows differ in length");
  std::set<std::size_t> seen(batch.indexes.begin(), batch.indexes.end());
  for (const auto& r : batch.rejected) {
    require(!r.errors.empty(), check, "a rejected row without a reason");
    seen.insert(r.index);
  }
  const std::size_t total = batch.indexes.size() + batch.rejected.size();
  require(seen.size() == total, check, "a row is both accepted and rejected, or listed twice");
  require(total >= 1 && total <= ingest::kMaxRows && (seen.empty() || *seen.rbegin() == total - 1), check,
          "the indexes are not 0..n-1");
}

void check_utm(const ingest::Utm& utm) {
  for (const auto* v : {&utm.source, &utm.medium, &utm.campaign, &utm.content, &utm.term, &utm.fbclid, &utm.gclid,
                        &utm.ttclid}) {
    if (!*v) continue;
    require(!(*v)->empty() && (*v)->size() <= 500, "parse_utm", "a tag of " + std::to_string((*v)->size()) + " bytes");
    require((*v)->find('\0') == std::string::npos, "parse_utm", "a tag with NUL");
    // Serialising it must not throw (nlohmann refuses invalid UTF-8 in strict mode).
    otq::fuzz::expect_no_throw("parse_utm/utf8", [&] { (void)nlohmann::json(**v).dump(); });
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return otq::fuzz::run_input([&] {
    const std::string_view body = otq::fuzz::as_text(data, size);
    const auto allowed = {ErrorCode::invalid_argument, ErrorCode::unprocessable, ErrorCode::payload_too_large};

    expect_client_errors("parse_spend_batch", allowed, [&] {
      const auto batch = ingest::parse_spend_batch(body);
      check_accounting(batch, "parse_spend_batch");
      std::set<std::string> keys;
      for (const auto& r : batch.rows) {
        require(r.platform == "facebook_ads" || r.platform == "google_ads" || r.platform == "tiktok_ads",
                "parse_spend_batch", "platform " + r.platform);
        require(!r.ad_account_id.empty() && !r.campaign_id.empty(), "parse_spend_batch", "an empty id");
        require(ingest::is_iso_date(r.date) && currency_ok(r.currency), "parse_spend_batch", "date/currency");
        require(in_range(r.spend) && in_range(r.conversion_value) && r.impressions >= 0 && r.clicks >= 0,
                "parse_spend_batch", "an amount or count out of range");
        require(keys.insert(r.platform + '\x1f' + r.ad_account_id + '\x1f' + r.campaign_id + '\x1f' + r.date).second,
                "parse_spend_batch", "two accepted rows with one natural key");
      }
    });

    expect_client_errors("parse_order_batch", allowed, [&] {
      const auto batch = ingest::parse_order_batch(body);
      check_accounting(batch, "parse_order_batch");
      std::set<std::string> keys, refund_keys;
      for (const auto& r : batch.rows) {
        require(r.platform == "shopify" || r.platform == "woocommerce" || r.platform == "manual", "parse_order_batch",
                "platform " + r.platform);
        require(!r.external_id.empty() && ingest::is_rfc3339(r.placed_at) && currency_ok(r.currency),
                "parse_order_batch", "id/placed_at/currency");
        require(in_range(r.total) && in_range(r.subtotal) && in_range(r.discounts) && in_range(r.shipping) &&
                    in_range(r.tax),
                "parse_order_batch", "an amount out of range");
        require(!r.presentment_currency || currency_ok(*r.presentment_currency), "parse_order_batch",
                "presentment_currency");
        require(!r.line_items_count || *r.line_items_count >= 0, "parse_order_batch", "line_items_count");
        require(!r.customer || !r.customer->external_id.empty(), "parse_order_batch", "a customer without an id");
        require(keys.insert(r.platform + '\x1f' + r.external_id).second, "parse_order_batch",
                "two accepted rows with one natural key");
        if (r.refunds) {
          std::int64_t sum = 0;
          require(r.refunds->size() <= ingest::kMaxRefundsPerOrder, "parse_order_batch", "too many refunds");
          for (const auto& f : *r.refunds) {
            require(in_range(f.amount) && ingest::is_rfc3339(f.created_at), "parse_order_batch", "a refund");
            require(refund_keys.insert(r.platform + '\x1f' + f.external_id).second, "parse_order_batch",
                    "one refund id on two accepted orders (or twice on one)");
            sum += f.amount;
          }
          require(sum <= r.total, "parse_order_batch", "refunds above the order's total");
        }
      }
    });

    expect_client_errors("parse_utm", {}, [&] { check_utm(ingest::parse_utm(body)); });
  });
}
