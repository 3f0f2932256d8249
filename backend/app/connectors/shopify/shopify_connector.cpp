// Shopify orders sync: the orders updated since the cursor are upserted in batches of
// SYNC_BATCH_ROWS as the pages arrive; the cursor moves only when the last page is stored (Shopify does not promise the
// pages in updated_at order), so a sync killed half-way repeats its pages and never skips an order.
#include "app/connectors/shopify/shopify_connector.hpp"

#include <algorithm>
#include <charconv>
#include <utility>

#include <fmt/format.h>

#include "app/connectors/shopify/orders.hpp"
#include "app/json_input.hpp"
#include "app/schemas/metrics.hpp"

namespace otq::connectors::shopify {
namespace {

using nlohmann::json;
constexpr const char* kStream = "orders";
constexpr int kPageSize = 250;

std::string replace_shop(std::string base, const std::string& shop) {
  const auto at = base.find("{shop}");
  if (at != std::string::npos) base.replace(at, 6, shop);
  return base;
}

std::string utc_text(std::int64_t epoch) {
  const auto tp = std::chrono::sys_seconds(std::chrono::seconds(epoch));
  const auto day = std::chrono::floor<std::chrono::days>(tp);
  const std::chrono::hh_mm_ss hms(tp - day);
  return fmt::format("{}T{:02}:{:02}:{:02}Z", schemas::metrics::format_day(day), hms.hours().count(),
                     hms.minutes().count(), hms.seconds().count());
}

[[noreturn]] void raise_for(const HttpResponse& res) {
  const json body = parse_untrusted_json(res.body);
  std::string detail = body.is_object() && body.contains("errors") ? body["errors"].dump() : res.body.substr(0, 200);
  if (res.status == 401 || res.status == 403) {
    throw NeedsUser(
        "Shopify no longer accepts this connection's access (the app was removed or its access "
        "revoked). Reconnect Shopify.");
  }
  if (res.status == 402 || res.status == 423) {
    throw NeedsUser(
        fmt::format("Shopify refuses access to this shop (HTTP {}: frozen or locked). "
                    "Reconnect once the shop is active again.",
                    res.status));
  }
  if (res.status == 404) throw NeedsUser("Shopify does not know this shop any more. Reconnect Shopify.");
  throw Transient(fmt::format("Shopify refused the request (HTTP {}): {}", res.status, detail));
}

json get_page(SyncContext& ctx, const std::string& url) {
  ctx.checkpoint();
  HttpResponse res;
  try {
    res = ctx.http().send({"GET", url, {{"X-Shopify-Access-Token", ctx.credentials().value("access_token", "")}}, {}});
  } catch (const HttpFailure& f) {
    throw Transient(fmt::format("Shopify could not be reached: {}", f.message), f.retry_after);
  }
  if (res.status != 200) raise_for(res);
  json body = parse_untrusted_json(res.body);
  if (!body.is_object() || !body.contains("orders") || !body["orders"].is_array()) {
    throw Transient("Shopify answered with something that is not a page of orders");
  }
  if (const auto limit = res.header("X-Shopify-Shop-Api-Call-Limit")) {
    if (const auto wait = bucket_pause(*limit); wait.count() > 0) ctx.pause(wait);
  }
  body["_next"] = next_link(res.header("Link").value_or(""));
  return body;
}

}  // namespace

std::string next_link(std::string_view header) {
  // <https://shop/admin/api/2026-07/orders.json?limit=250&page_info=abc>; rel="next", <...>; rel="previous"
  while (!header.empty()) {
    const auto open = header.find('<');
    const auto close = header.find('>', open);
    if (open == std::string_view::npos || close == std::string_view::npos) return {};
    const std::string_view url = header.substr(open + 1, close - open - 1);
    const auto comma = header.find(',', close);
    const std::string_view params =
        header.substr(close + 1, comma == std::string_view::npos ? std::string_view::npos : comma - close - 1);
    if (params.find("rel=\"next\"") != std::string_view::npos) return std::string(url);
    if (comma == std::string_view::npos) return {};
    header = header.substr(comma + 1);
  }
  return {};
}

std::chrono::seconds bucket_pause(std::string_view header) {
  const auto slash = header.find('/');
  if (slash == std::string_view::npos) return std::chrono::seconds(0);
  // 64-bit arithmetic: the header is the provider's text, and `used * 5` must not overflow.
  std::int64_t used = 0, size = 0;
  const auto a = std::from_chars(header.data(), header.data() + slash, used);
  const auto b = std::from_chars(header.data() + slash + 1, header.data() + header.size(), size);
  if (a.ec != std::errc() || b.ec != std::errc() || size <= 0 || size > 100000 || used < 0 || used > 100000 ||
      used * 5 < size * 4) {
    return std::chrono::seconds(0);
  }
  constexpr std::int64_t kLeakPerSecond = 2;  // Shopify's standard plans; Plus leaks faster, so this is safe
  // A bucket drains in seconds: never pause longer than a full one takes to empty.
  return std::chrono::seconds(std::min<std::int64_t>((used - size / 2 + kLeakPerSecond - 1) / kLeakPerSecond, size));
}

std::optional<std::int64_t> epoch_seconds(std::string_view s) {
  if (!schemas::ingest::is_rfc3339(s)) return std::nullopt;
  auto num = [&](std::size_t at, std::size_t n) {
    int v = 0;
    std::from_chars(s.data() + at, s.data() + at + n, v);
    return v;
  };
  const auto day = schemas::metrics::parse_day(std::string(s.substr(0, 10)));
  if (!day) return std::nullopt;
  std::int64_t t = std::chrono::duration_cast<std::chrono::seconds>(day->time_since_epoch()).count() +
                   num(11, 2) * 3600 + num(14, 2) * 60 + num(17, 2);
  std::size_t zone = 19;
  while (zone < s.size() && s[zone] != 'Z' && s[zone] != 'z' && s[zone] != '+' && s[zone] != '-') ++zone;
  if (zone < s.size() && (s[zone] == '+' || s[zone] == '-')) {
    const int offset = num(zone + 1, 2) * 3600 + num(zone + 4, 2) * 60;
    t += s[zone] == '+' ? -offset : offset;
  }
  return t;
}

void ShopifyConnector::sync(SyncContext& ctx) {
  const auto& p = ctx.providers();
  const int backfill = std::clamp(ctx.settings().value("backfill_days", 365), 1, 3650);
  const auto today = schemas::metrics::parse_day(ctx.today()).value();
  std::string since = schemas::metrics::format_day(today - std::chrono::days(backfill)) + "T00:00:00Z";
  if (const auto cursor = ctx.cursor(kStream); cursor && cursor->contains("updated_at_min")) {
    since = (*cursor)["updated_at_min"].get<std::string>();
  }
  std::optional<std::int64_t> newest = epoch_seconds(since);

  std::string url = fmt::format("{}/admin/api/{}/orders.json?status=any&limit={}&updated_at_min={}",
                                replace_shop(p.shopify_api_base, ctx.external_account_id()), p.shopify_api_version,
                                kPageSize, HttpClient::encode(since));
  std::vector<schemas::ingest::OrderRow> rows;  // written in batches of SYNC_BATCH_ROWS
  while (!url.empty()) {
    const json page = get_page(ctx, url);
    const auto before = rows.size();
    for (const auto& o : page["orders"]) {
      std::string error;
      auto row = order_from_rest(o, error);
      if (!row) throw Transient(fmt::format("Shopify sent an order OmniTrackIQ could not read ({})", error));
      if (row->updated_at) {
        if (const auto t = epoch_seconds(*row->updated_at)) newest = std::max(newest.value_or(*t), *t);
      }
      rows.push_back(std::move(*row));
    }
    ctx.add_read(static_cast<std::int64_t>(rows.size() - before));
    url = page["_next"].get<std::string>();
    if (!url.empty() && std::cmp_greater_equal(rows.size(), p.sync_batch_rows)) {
      ctx.write_orders(std::move(rows), kStream, std::nullopt);
      rows.clear();
    }
  }
  // Every page is stored with the last batch: the next sync asks from the newest change seen
  // (inclusive, so an order changed in that same second is read again rather than missed).
  ctx.write_orders(std::move(rows), kStream, json{{"updated_at_min", newest ? utc_text(*newest) : since}});
}

}  // namespace otq::connectors::shopify
