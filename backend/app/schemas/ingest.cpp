// Ingest rows: every reason a row is refused, in words that say what to send instead.
#include "app/schemas/ingest.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <map>
#include <set>
#include <tuple>

#include <fmt/format.h>

#include "app/errors.hpp"
#include "app/http/message.hpp"
#include "app/json_input.hpp"
#include "app/schemas/metrics.hpp"

namespace otq::schemas::ingest {
namespace {

using nlohmann::json;

constexpr std::int64_t kMaxMinor = 1'000'000'000'000'000;  // 10^15 minor units: far above any real order

// PostgreSQL's jsonb and text refuse NUL; JSON serialisation refuses invalid UTF-8 (RFC 3629:
// no overlong forms, no surrogates, nothing above U+10FFFF).
bool valid_utf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c == 0) return false;
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t n = 0;
    unsigned char lo = 0x80, hi = 0xBF;  // the allowed range of the second byte
    if (c >= 0xC2 && c <= 0xDF) {
      n = 1;
    } else if (c >= 0xE0 && c <= 0xEF) {
      n = 2;
      if (c == 0xE0) lo = 0xA0;
      if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      n = 3;
      if (c == 0xF0) lo = 0x90;
      if (c == 0xF4) hi = 0x8F;
    } else {
      return false;
    }
    if (i + n >= s.size()) return false;
    const auto second = static_cast<unsigned char>(s[i + 1]);
    if (second < lo || second > hi) return false;
    for (std::size_t k = 2; k <= n; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    }
    i += n + 1;
  }
  return true;
}

// `n` decimal digits at `pos`.
bool digits(std::string_view s, std::size_t pos, std::size_t n, int& out) {
  if (pos + n > s.size()) return false;
  out = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    out = out * 10 + (s[i] - '0');
  }
  return true;
}

// At most `max` bytes, cut on a character boundary.
std::string truncate_utf8(std::string s, std::size_t max) {
  if (s.size() <= max) return s;
  std::size_t cut = max;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) >> 6) == 0x2) --cut;
  s.resize(cut);
  return s;
}

// Collects every problem of one row; `path` prefixes nested fields ("refunds[0].amount").
class RowChecker {
 public:
  RowChecker(const json& row, std::vector<std::string>& errors, std::string path = {})
      : row_(row), errors_(errors), path_(std::move(path)) {}

  std::string name(std::string_view field) const {
    return path_.empty() ? std::string(field) : path_ + "." + std::string(field);
  }

  void fail(std::string_view field, std::string_view what) {
    errors_.push_back(fmt::format("{}: {}", name(field), what));
  }

  const json* find(std::string_view field) const {
    const auto it = row_.find(field);
    if (it == row_.end() || it->is_null()) return nullptr;
    return &*it;
  }

  // Ids may come as JSON numbers (Shopify's order ids are); they are stored as text.
  std::optional<std::string> id(std::string_view field, bool required) {
    const json* v = find(field);
    if (v == nullptr) {
      if (required) fail(field, "is required");
      return std::nullopt;
    }
    if (v->is_number_integer()) return v->dump();
    if (!v->is_string() || v->get_ref<const std::string&>().empty() || v->get_ref<const std::string&>().size() > 255 ||
        v->get_ref<const std::string&>().find('\0') != std::string::npos) {
      fail(field, "must be a non-empty string of at most 255 characters (no NUL)");
      return std::nullopt;
    }
    return v->get<std::string>();
  }

  std::optional<std::string> text(std::string_view field, std::size_t max, bool required = false) {
    const json* v = find(field);
    if (v == nullptr) {
      if (required) fail(field, "is required");
      return std::nullopt;
    }
    if (!v->is_string()) {
      fail(field, "must be a string");
      return std::nullopt;
    }
    const auto& s = v->get_ref<const std::string&>();
    if (s.find('\0') != std::string::npos) {
      fail(field, "must not contain NUL characters (\\u0000)");
      return std::nullopt;
    }
    if (s.size() > max) {
      fail(field, fmt::format("is longer than {} characters", max));
      return std::nullopt;
    }
    if (required && s.empty()) {
      fail(field, "must not be empty");
      return std::nullopt;
    }
    return s;
  }

  std::int64_t minor(std::string_view field, bool required, std::string_view unit_hint = "minor units") {
    const json* v = find(field);
    if (v == nullptr) {
      if (required) fail(field, fmt::format("is required (an integer in {})", unit_hint));
      return 0;
    }
    if (!v->is_number_integer()) {
      fail(field, v->is_number() ? fmt::format("must be an integer in {} (12.34 USD is 1234)", unit_hint)
                                 : fmt::format("must be an integer in {}", unit_hint));
      return 0;
    }
    const auto n = v->get<std::int64_t>();
    if (n < 0 || n > kMaxMinor) {
      fail(field, fmt::format("must be between 0 and {}", kMaxMinor));
      return 0;
    }
    return n;
  }

  std::int64_t count(std::string_view field) {
    const json* v = find(field);
    if (v == nullptr) return 0;
    if (!v->is_number_integer() || v->get<std::int64_t>() < 0) {
      fail(field, "must be a whole number of at least 0");
      return 0;
    }
    return v->get<std::int64_t>();
  }

  std::string date(std::string_view field) {
    auto s = text(field, 10, true);
    if (!s) return {};
    if (!is_iso_date(*s)) fail(field, "must be a date like 2026-11-01");
    return *s;
  }

  std::optional<std::string> timestamp(std::string_view field, bool required) {
    auto s = text(field, 40, required);
    if (!s) return std::nullopt;
    if (!is_rfc3339(*s)) {
      fail(field, "must be an RFC 3339 timestamp with an offset, like 2026-11-01T03:30:00Z");
      return std::nullopt;
    }
    return s;
  }

  std::string currency(std::string_view field) {
    auto s = text(field, 3, true);
    if (!s) return {};
    if (s->size() != 3 || !std::all_of(s->begin(), s->end(), [](char c) { return c >= 'A' && c <= 'Z'; })) {
      fail(field, "must be an ISO 4217 code in capitals, like USD");
    }
    return *s;
  }

  bool boolean(std::string_view field) {
    const json* v = find(field);
    if (v == nullptr) return false;
    if (!v->is_boolean()) {
      fail(field, "must be true or false");
      return false;
    }
    return v->get<bool>();
  }

 private:
  const json& row_;
  std::vector<std::string>& errors_;
  std::string path_;
};

// Conversions: a JSON number (platforms report fractions), kept as decimal text.
std::string conversions_of(RowChecker& c, const json& row) {
  const auto it = row.find("conversions");
  if (it == row.end() || it->is_null()) return "0";
  if (it->is_number_integer() && it->get<std::int64_t>() >= 0 && it->get<std::int64_t>() < 1'000'000'000'000) {
    return it->dump();
  }
  if (it->is_number_float()) {
    const double d = it->get<double>();
    if (d >= 0 && d < 1e12) return fmt::format("{:.4f}", d);
  }
  c.fail("conversions", "must be a number from 0 to 999,999,999,999");
  return "0";
}

json rows_of(std::string_view body) {
  json doc = parse_untrusted_json(body);
  if (doc.is_discarded()) {
    throw Error(ErrorCode::invalid_argument, "The body is not valid JSON; send {\"rows\": [ ... ]}.");
  }
  if (doc.is_object()) {
    if (doc.size() != 1 || !doc.contains("rows")) {
      throw Error(ErrorCode::invalid_argument, "Send {\"rows\": [ ... ]} (or a bare array of rows).");
    }
    doc = std::move(doc["rows"]);
  }
  if (!doc.is_array()) throw Error(ErrorCode::invalid_argument, "'rows' must be an array of row objects.");
  if (doc.empty()) throw Error(ErrorCode::unprocessable, "The batch is empty; send at least one row.");
  if (doc.size() > kMaxRows) {
    throw Error(ErrorCode::payload_too_large,
                fmt::format("A batch holds at most {} rows; this one has {}. Split it into smaller batches.", kMaxRows,
                            doc.size()));
  }
  return doc;
}

std::string lower(std::string s) {
  for (auto& ch : s) {
    if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
  }
  return s;
}

std::optional<CustomerRef> customer_of(const json& row, std::vector<std::string>& errors) {
  const auto it = row.find("customer");
  if (it == row.end() || it->is_null()) return std::nullopt;
  if (!it->is_object()) {
    errors.push_back("customer: must be an object with external_id and/or email");
    return std::nullopt;
  }
  RowChecker c(*it, errors, "customer");
  CustomerRef ref;
  auto ext = c.id("external_id", false);
  ref.email = c.text("email", 320);
  if (ref.email && (ref.email->find('@') == std::string::npos || ref.email->find(' ') != std::string::npos)) {
    c.fail("email", "must be an email address like ann@example.com");
    ref.email.reset();
  }
  ref.first_name = c.text("first_name", 200);
  ref.last_name = c.text("last_name", 200);
  if (ext) {
    ref.external_id = *ext;
  } else if (ref.email) {
    ref.external_id = "email:" + lower(*ref.email);  // a guest: the address identifies the buyer
  } else {
    c.fail("external_id", "is required when there is no email (a customer needs one or the other)");
    return std::nullopt;
  }
  return ref;
}

std::optional<std::vector<RefundRow>> refunds_of(const json& row, std::int64_t total,
                                                 std::vector<std::string>& errors) {
  const auto it = row.find("refunds");
  if (it == row.end() || it->is_null()) return std::nullopt;
  if (!it->is_array()) {
    errors.push_back("refunds: must be an array (or left out)");
    return std::nullopt;
  }
  if (it->size() > kMaxRefundsPerOrder) {
    errors.push_back(fmt::format("refunds: at most {} per order", kMaxRefundsPerOrder));
    return std::nullopt;
  }
  std::vector<RefundRow> out;
  std::set<std::string> seen;
  std::int64_t sum = 0;
  for (std::size_t i = 0; i < it->size(); ++i) {
    const json& r = (*it)[i];
    const std::string path = fmt::format("refunds[{}]", i);
    if (!r.is_object()) {
      errors.push_back(path + ": must be an object");
      continue;
    }
    RowChecker c(r, errors, path);
    RefundRow refund;
    auto ext = c.id("external_id", true);
    auto at = c.timestamp("created_at", true);
    refund.amount = c.minor("amount", true);
    refund.reason = c.text("reason", 500);
    if (!ext || !at) continue;
    if (!seen.insert(*ext).second) {
      c.fail("external_id", "appears twice in this order's refunds");
      continue;
    }
    refund.external_id = *ext;
    refund.created_at = *at;
    sum += refund.amount;
    out.push_back(std::move(refund));
  }
  if (sum > total)
    errors.push_back(fmt::format("refunds: they add up to {}, more than the order's total {}", sum, total));
  return out;
}

template <typename Row, typename Parse, typename Key>
Batch<Row> parse_batch(std::string_view body, Parse parse, Key key) {
  const json rows = rows_of(body);
  Batch<Row> batch;
  std::map<std::string, std::size_t> first_index;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    std::vector<std::string> errors;
    std::optional<Row> row;
    if (!rows[i].is_object()) {
      errors.push_back("the row must be a JSON object");
    } else {
      row = parse(rows[i], errors);
    }
    if (errors.empty() && row) {
      auto [pos, fresh] = first_index.emplace(key(*row), i);
      if (!fresh)
        errors.push_back(fmt::format("the same row (natural key) is already at index {} of this batch", pos->second));
    }
    if (!errors.empty()) {
      batch.rejected.push_back(Rejected{i, std::move(errors)});
      continue;
    }
    batch.indexes.push_back(i);
    batch.rows.push_back(std::move(*row));
  }
  return batch;
}

}  // namespace

bool is_iso_date(std::string_view s) {
  return metrics::parse_day(s).has_value();
}

bool is_rfc3339(std::string_view s) {
  int hh = 0, mm = 0, ss = 0;
  if (s.size() < 20 || !is_iso_date(s.substr(0, 10)) || (s[10] != 'T' && s[10] != 't' && s[10] != ' ')) return false;
  if (!digits(s, 11, 2, hh) || s[13] != ':' || !digits(s, 14, 2, mm) || s[16] != ':' || !digits(s, 17, 2, ss)) {
    return false;
  }
  if (hh > 23 || mm > 59 || ss > 60) return false;
  std::size_t pos = 19;
  if (pos < s.size() && s[pos] == '.') {
    std::size_t n = 0;
    ++pos;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
      ++pos;
      ++n;
    }
    if (n == 0 || n > 9) return false;
  }
  if (pos == s.size()) return false;  // an offset is required: a bare local time is ambiguous
  if ((s[pos] == 'Z' || s[pos] == 'z') && pos + 1 == s.size()) return true;
  int oh = 0, om = 0;
  return (s[pos] == '+' || s[pos] == '-') && s.size() == pos + 6 && digits(s, pos + 1, 2, oh) && s[pos + 3] == ':' &&
         digits(s, pos + 4, 2, om) && oh <= 15 && om <= 59;  // PostgreSQL accepts offsets below 16 h
}

std::optional<std::string> ad_platform(std::string_view name) {
  if (name == "meta" || name == "facebook" || name == "facebook_ads") return "facebook_ads";
  if (name == "google" || name == "google_ads") return "google_ads";
  if (name == "tiktok" || name == "tiktok_ads") return "tiktok_ads";
  return std::nullopt;
}

Utm parse_utm(std::string_view landing_site) {
  Utm utm;
  const auto q = landing_site.find('?');
  if (q == std::string_view::npos) return utm;
  std::string_view query = landing_site.substr(q + 1);
  if (const auto hash = query.find('#'); hash != std::string_view::npos) query = query.substr(0, hash);
  while (!query.empty()) {
    const auto amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    const auto eq = pair.find('=');
    if (eq == std::string_view::npos) continue;
    const auto key = http::percent_decode(pair.substr(0, eq), true);
    auto decoded = http::percent_decode(pair.substr(eq + 1), true);
    if (!key || !decoded) continue;  // a malformed escape: not a tag we can read
    std::string value = std::move(*decoded);
    if (value.empty() || !valid_utf8(value)) continue;  // "%FF" or "%00" is no campaign name
    value = truncate_utf8(std::move(value), 500);
    const std::string name = lower(*key);
    std::optional<std::string>* slot = name == "utm_source"     ? &utm.source
                                       : name == "utm_medium"   ? &utm.medium
                                       : name == "utm_campaign" ? &utm.campaign
                                       : name == "utm_content"  ? &utm.content
                                       : name == "utm_term"     ? &utm.term
                                       : name == "fbclid"       ? &utm.fbclid
                                       : name == "gclid"        ? &utm.gclid
                                       : name == "ttclid"       ? &utm.ttclid
                                                                : nullptr;
    if (slot != nullptr && !*slot) *slot = std::move(value);  // the first occurrence wins
  }
  return utm;
}

Batch<SpendRow> parse_spend_batch(std::string_view body) {
  auto parse = [](const json& row, std::vector<std::string>& errors) -> std::optional<SpendRow> {
    RowChecker c(row, errors);
    SpendRow r;
    if (auto p = c.text("platform", 32, true)) {
      if (auto canonical = ad_platform(*p)) {
        r.platform = *canonical;
      } else {
        c.fail("platform", "must be one of meta, google_ads, tiktok_ads");
      }
    }
    r.ad_account_id = c.id("ad_account_id", true).value_or("");
    r.campaign_id = c.id("campaign_id", true).value_or("");
    r.campaign_name = c.text("campaign_name", 500);
    r.date = c.date("date");
    r.currency = c.currency("currency");
    r.spend = c.minor("spend", true);
    r.impressions = c.count("impressions");
    r.clicks = c.count("clicks");
    r.conversions = conversions_of(c, row);
    r.conversion_value = c.minor("conversion_value", false);
    if (!errors.empty()) return std::nullopt;
    return r;
  };
  auto key = [](const SpendRow& r) {
    return fmt::format("{}\x1f{}\x1f{}\x1f{}", r.platform, r.ad_account_id, r.campaign_id, r.date);
  };
  return parse_batch<SpendRow>(body, parse, key);
}

Batch<OrderRow> parse_order_batch(std::string_view body) {
  auto parse = [](const json& row, std::vector<std::string>& errors) -> std::optional<OrderRow> {
    RowChecker c(row, errors);
    OrderRow r;
    if (auto p = c.text("platform", 32, true)) {
      if (*p == "shopify" || *p == "woocommerce" || *p == "manual") {
        r.platform = *p;
      } else {
        c.fail("platform", "must be one of shopify, woocommerce, manual (manual: any other store)");
      }
    }
    r.external_id = c.id("external_id", true).value_or("");
    r.order_number = c.text("order_number", 100);
    r.placed_at = c.timestamp("placed_at", true).value_or("");
    r.updated_at = c.timestamp("updated_at", false);
    r.currency = c.currency("currency");
    r.total = c.minor("total", true);
    r.subtotal = c.minor("subtotal", false);
    r.discounts = c.minor("discounts", false);
    r.shipping = c.minor("shipping", false);
    r.tax = c.minor("tax", false);
    r.financial_status = c.text("financial_status", 50);
    r.fulfillment_status = c.text("fulfillment_status", 50);
    r.cancelled_at = c.timestamp("cancelled_at", false);
    r.test = c.boolean("test");
    r.customer = customer_of(row, errors);
    r.source_name = c.text("source_name", 255);
    r.landing_site = c.text("landing_site", 4096);
    r.referring_site = c.text("referring_site", 4096);
    const Utm parsed = r.landing_site ? parse_utm(*r.landing_site) : Utm{};
    // Explicit utm_* fields win over the landing page's query.
    r.utm_source = c.text("utm_source", 500);
    r.utm_medium = c.text("utm_medium", 500);
    r.utm_campaign = c.text("utm_campaign", 500);
    r.utm_content = c.text("utm_content", 500);
    r.utm_term = c.text("utm_term", 500);
    if (!r.utm_source) r.utm_source = parsed.source;
    if (!r.utm_medium) r.utm_medium = parsed.medium;
    if (!r.utm_campaign) r.utm_campaign = parsed.campaign;
    if (!r.utm_content) r.utm_content = parsed.content;
    if (!r.utm_term) r.utm_term = parsed.term;
    r.fbclid = c.text("fbclid", 500);
    r.gclid = c.text("gclid", 500);
    r.ttclid = c.text("ttclid", 500);
    if (!r.fbclid) r.fbclid = parsed.fbclid;
    if (!r.gclid) r.gclid = parsed.gclid;
    if (!r.ttclid) r.ttclid = parsed.ttclid;
    if (row.contains("presentment_currency") && !row["presentment_currency"].is_null()) {
      r.presentment_currency = c.currency("presentment_currency");
    }
    if (row.contains("line_items_count") && !row["line_items_count"].is_null()) {
      r.line_items_count = c.count("line_items_count");
    }
    r.refunds = refunds_of(row, r.total, errors);
    if (!errors.empty()) return std::nullopt;
    return r;
  };
  auto key = [](const OrderRow& r) { return r.platform + "\x1f" + r.external_id; };
  auto batch = parse_batch<OrderRow>(body, parse, key);

  // A refund belongs to one order: the same refund id on two orders of one batch is refused in
  // the later one (two upserts of one row in one statement would fail the whole batch).
  std::map<std::string, std::size_t> refund_owner;
  Batch<OrderRow> checked;
  checked.rejected = std::move(batch.rejected);
  for (std::size_t k = 0; k < batch.rows.size(); ++k) {
    std::vector<std::string> errors;
    const auto& row = batch.rows[k];
    for (std::size_t f = 0; row.refunds && f < row.refunds->size(); ++f) {
      const auto [it, fresh] =
          refund_owner.emplace(row.platform + "\x1f" + (*row.refunds)[f].external_id, batch.indexes[k]);
      if (!fresh) {
        errors.push_back(
            fmt::format("refunds[{}].external_id: refund '{}' is already in the order at index {} of "
                        "this batch",
                        f, (*row.refunds)[f].external_id, it->second));
      }
    }
    if (!errors.empty()) {
      checked.rejected.push_back(Rejected{batch.indexes[k], std::move(errors)});
      continue;
    }
    checked.indexes.push_back(batch.indexes[k]);
    checked.rows.push_back(std::move(batch.rows[k]));
  }
  std::sort(checked.rejected.begin(), checked.rejected.end(),
            [](const Rejected& a, const Rejected& b) { return a.index < b.index; });
  return checked;
}

}  // namespace otq::schemas::ingest
