// Operator commands: the demo store generator and rollup rebuilds.
//
// The demo data is generated from one seeded PRNG (our own uniform/normal on top of mt19937_64, so
// the same seed gives the same rows on any machine), bulk-loaded with COPY into staging tables,
// and moved into the real tables with set-based INSERTs. Rollups are deferred during the load and
// rebuilt once per store, in the same transaction.
#include "app/services/system_tasks.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <numbers>
#include <random>
#include <tuple>
#include <vector>

#include <fmt/format.h>

#include "app/errors.hpp"
#include "app/logging.hpp"
#include "app/models/integration.hpp"
#include "app/models/metrics.hpp"
#include "app/models/scope.hpp"
#include "app/schemas/metrics.hpp"
#include "app/security/password.hpp"
#include "app/security/random.hpp"

namespace otq::services {
namespace {

using std::chrono::days;
using Day = std::chrono::sys_days;

class Rng {
 public:
  explicit Rng(std::uint64_t seed) : g_(seed) {}
  double uniform() { return static_cast<double>(g_() >> 11) * 0x1.0p-53; }
  std::int64_t range(std::int64_t lo, std::int64_t hi) {  // inclusive
    return lo + static_cast<std::int64_t>(uniform() * static_cast<double>(hi - lo + 1));
  }
  bool chance(double p) { return uniform() < p; }
  double normal(double mean, double sd) {  // Box-Muller
    const double u1 = std::max(uniform(), 1e-12), u2 = uniform();
    return mean + sd * std::sqrt(-2 * std::log(u1)) * std::cos(2 * std::numbers::pi * u2);
  }
  std::string base62(std::size_t n) {
    static constexpr std::string_view kAlphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    std::string out(n, '0');
    for (auto& c : out) c = kAlphabet[static_cast<std::size_t>(range(0, 61))];
    return out;
  }
  std::string digits(std::size_t n) {
    std::string out(n, '0');
    for (std::size_t i = 0; i < n; ++i) out[i] = static_cast<char>('0' + (i == 0 ? range(1, 9) : range(0, 9)));
    return out;
  }

 private:
  std::mt19937_64 g_;
};

struct Platform {
  std::string_view id;
  std::string_view utm_source;
  std::string_view utm_medium;
  double share;        ///< of paid campaigns
  double cpm;          ///< dollars per thousand impressions
  double ctr;          ///< click-through rate
  double attribution;  ///< how much the platform over-claims conversion value
  std::array<std::string_view, 6> templates;
};

constexpr std::array<Platform, 3> kPlatforms{{
    {"facebook_ads",
     "facebook",
     "paid_social",
     0.45,
     11.5,
     0.011,
     1.35,
     {"Prospecting | Broad | {}", "Retargeting | 7d Engagers | {}", "Advantage+ Shopping | {}",
      "Lookalike 1% Purchasers | {}", "UGC Creative Test | {}", "Catalog DPA | {}"}},
    {"google_ads",
     "google",
     "cpc",
     0.35,
     24.0,
     0.032,
     1.15,
     {"Search | Brand | {}", "Search | Non-Brand | {}", "PMax | All Products | {}", "Shopping | Bestsellers | {}",
      "YouTube | Awareness | {}", "Demand Gen | {}"}},
    {"tiktok_ads",
     "tiktok",
     "paid_social",
     0.20,
     7.5,
     0.009,
     1.6,
     {"Spark Ads | {}", "Conversions | Broad | {}", "TopView | {}", "Creator Collab | {}", "Smart+ | {}",
      "Video Shopping | {}"}},
}};

constexpr std::array<std::string_view, 8> kThemes{"Evergreen", "Spring Drop",     "Summer Sale", "New Arrivals",
                                                  "BFCM",      "Holiday Gifting", "Bestsellers", "Winter Edit"};
constexpr std::array<std::string_view, 16> kFirstNames{"Ava",    "Liam",  "Mia",  "Noah", "Emma",  "Lucas",
                                                       "Olivia", "Ethan", "Zoe",  "Leo",  "Chloe", "Mateo",
                                                       "Aria",   "Omar",  "Hana", "Ivan"};
constexpr std::array<std::string_view, 16> kLastNames{"Smith", "Garcia", "Chen",   "Muller", "Rossi", "Khan",
                                                      "Silva", "Novak",  "Tanaka", "Dubois", "Kim",   "Okafor",
                                                      "Brown", "Lopez",  "Nowak",  "Larsen"};
constexpr std::array<std::string_view, 8> kProducts{"linen-shirt",  "merino-crew", "canvas-tote",  "trail-runner",
                                                    "everyday-tee", "wool-beanie", "denim-jacket", "gift-card"};

struct Campaign {
  const Platform* platform;
  std::string id;
  std::string ad_account_id;
  std::string name;
  std::string slug;
  double weight;  ///< share of the store's budget while active
  int start;      ///< first active day index
  int end;        ///< last active day index
  double cpm;
  double ctr;
};

std::string slug_of(std::string_view name) {
  std::string out;
  for (char c : name) {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else if (!out.empty() && out.back() != '-') {
      out += '-';
    }
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out;
}

Day black_friday(int year) {
  using namespace std::chrono;
  const sys_days thanksgiving{std::chrono::year{year} / November / Thursday[4]};
  return thanksgiving + days(1);
}

// Demand multiplier of a calendar day: weekly rhythm, yearly season, Black Friday / Cyber Monday.
double season(Day d, double strength) {
  using namespace std::chrono;
  const year_month_day ymd{d};
  const unsigned iso = weekday{d}.iso_encoding();
  static constexpr std::array<double, 8> kWeekday{0, 1.06, 1.04, 1.02, 1.0, 0.97, 0.93, 0.98};
  double m = kWeekday[iso];
  const unsigned month = static_cast<unsigned>(ymd.month());
  static constexpr std::array<double, 13> kMonth{0,    0.82, 0.85, 0.95, 1.0,  1.02, 0.97,
                                                 0.93, 0.96, 1.0,  1.05, 1.25, 1.35};
  m *= kMonth[month];
  const Day bf = black_friday(static_cast<int>(ymd.year()));
  const auto offset = (d - bf).count();
  if (offset == 0)
    m *= 1 + 3.0 * strength;  // Black Friday
  else if (offset == 1 || offset == 2)
    m *= 1 + 1.3 * strength;  // the weekend
  else if (offset == 3)
    m *= 1 + 2.2 * strength;  // Cyber Monday
  else if (offset >= -7 && offset < 0)
    m *= 1 + 0.35 * strength;                                          // early deals
  if (month == 12 && static_cast<unsigned>(ymd.day()) > 22) m *= 0.7;  // past the last shipping day
  return m;
}

// EUR→USD on a date, a smooth deterministic curve (the same for every store).
double eur_usd(Day d) {
  const double x = static_cast<double>(d.time_since_epoch().count());
  return 1.08 + 0.03 * std::sin(x / 41.0) + 0.006 * std::sin(x / 3.7);
}

struct StoreSpec {
  std::string name;
  std::string timezone;
  std::string currency;
  std::int64_t orders;
  int campaigns;
  int days;
};

struct CustomerRow {
  std::string ext, email, first, last;
};

struct LoadCounts {
  std::int64_t orders = 0;
  std::int64_t spend_rows = 0;
};

std::string ts(Day d, std::int64_t seconds) {
  const std::chrono::year_month_day ymd{d};
  return fmt::format("{:04}-{:02}-{:02} {:02}:{:02}:{:02}", static_cast<int>(ymd.year()),
                     static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()), seconds / 3600,
                     (seconds / 60) % 60, seconds % 60);
}

LoadCounts load_store(pqxx::work& tx, std::int64_t account_id, const StoreSpec& spec, Rng& rng, Day today,
                      std::int64_t now_seconds) {
  const int n_days = spec.days;
  const Day first = today - days(n_days - 1);
  LoadCounts counts;

  // Campaigns: each platform gets its share, with staggered starts, some paused for good.
  std::vector<Campaign> campaigns;
  for (const auto& p : kPlatforms) {
    const int n = std::max(1, static_cast<int>(std::lround(spec.campaigns * p.share)));
    const std::string ad_account = p.id == "facebook_ads" ? "act_" + rng.digits(15)
                                   : p.id == "google_ads"
                                       ? fmt::format("{}-{}-{}", rng.digits(3), rng.digits(3), rng.digits(4))
                                       : rng.digits(19);
    for (int i = 0; i < n; ++i) {
      Campaign c;
      c.platform = &p;
      c.id = rng.digits(p.id == "google_ads" ? 11 : 18);
      c.ad_account_id = ad_account;
      c.name = fmt::format(fmt::runtime(p.templates[static_cast<std::size_t>(i) % p.templates.size()]),
                           kThemes[static_cast<std::size_t>(rng.range(0, kThemes.size() - 1))]);
      if (std::any_of(campaigns.begin(), campaigns.end(), [&](const Campaign& o) { return o.name == c.name; })) {
        c.name += fmt::format(" #{}", i + 1);
      }
      c.slug = slug_of(c.name);
      c.weight = 0.3 + rng.uniform() * 1.7;
      c.start = i < 2 ? 0 : static_cast<int>(rng.range(0, n_days * 2 / 3));
      c.end = rng.chance(0.3) ? static_cast<int>(rng.range(c.start, n_days - 1)) : n_days - 1;
      c.cpm = p.cpm * (0.7 + rng.uniform() * 0.6);
      c.ctr = p.ctr * (0.6 + rng.uniform() * 0.8);
      campaigns.push_back(std::move(c));
    }
  }

  // Daily order weights: growth trend, season, noise; today only up to now.
  std::vector<double> weight(static_cast<std::size_t>(n_days));
  double total_weight = 0;
  for (int d = 0; d < n_days; ++d) {
    const double trend = 0.75 + 0.5 * d / std::max(1, n_days - 1);
    double w = trend * season(first + days(d), 1.0) * std::max(0.5, rng.normal(1.0, 0.08));
    if (d == n_days - 1) w *= static_cast<double>(now_seconds) / 86400.0;
    weight[static_cast<std::size_t>(d)] = w;
    total_weight += w;
  }
  const double aov_minor = 8200 * (spec.currency == "EUR" ? 0.93 : 1.0);
  // Spend such that blended ROAS lands near 3: daily spend follows demand, a little flatter.
  const double spend_per_weight = static_cast<double>(spec.orders) * aov_minor / 3.0 / total_weight;

  // Ad spend rows (COPY straight into ad_spend).
  {
    pqxx::stream_to spend_rows(
        tx, "ad_spend",
        std::vector<std::string>{"account_id", "platform", "ad_account_id", "campaign_id", "date", "campaign_name",
                                 "currency", "spend_minor", "impressions", "clicks", "conversions",
                                 "conversion_value_minor"});
    for (int d = 0; d < n_days; ++d) {
      double active_weight = 0;
      for (const auto& c : campaigns) {
        if (d >= c.start && d <= c.end) active_weight += c.weight;
      }
      if (active_weight == 0) continue;
      const double day_spend = spend_per_weight * weight[static_cast<std::size_t>(d)];
      const std::string date = schemas::metrics::format_day(first + days(d));
      for (const auto& c : campaigns) {
        if (d < c.start || d > c.end) continue;
        const double spend = day_spend * c.weight / active_weight * std::max(0.4, rng.normal(1.0, 0.12));
        const auto spend_minor = static_cast<std::int64_t>(std::llround(spend));
        const auto impressions = static_cast<std::int64_t>(std::llround(spend / 100.0 / c.cpm * 1000.0));
        const auto clicks = static_cast<std::int64_t>(
            std::llround(static_cast<double>(impressions) * c.ctr * std::max(0.3, rng.normal(1.0, 0.1))));
        const double conv_raw = static_cast<double>(clicks) * 0.028 * std::max(0.2, rng.normal(1.0, 0.25));
        const double conversions =
            c.platform->id == "google_ads" ? std::round(conv_raw * 100) / 100 : std::round(conv_raw);
        const auto value = static_cast<std::int64_t>(std::llround(conversions * aov_minor * c.platform->attribution));
        spend_rows << std::make_tuple(account_id, std::string(c.platform->id), c.ad_account_id, c.id, date, c.name,
                                      spec.currency, spend_minor, impressions, clicks,
                                      fmt::format("{:.2f}", conversions), value);
        ++counts.spend_rows;
      }
    }
    spend_rows.complete();
  }

  // Orders, customers and refunds through staging tables (orders.id is an identity column).
  // One COPY stream at a time per connection: customers and refunds ride along on their order.
  tx.exec0(
      "CREATE TEMP TABLE seed_orders (ext text, public_id text, number text, customer_ext text, new_customer boolean, "
      "first_name text, last_name text, email text, placed_local timestamp, cancelled_local text, is_test boolean, "
      "currency text, total bigint, subtotal bigint, discounts bigint, shipping bigint, tax bigint, "
      "financial_status text, fulfillment_status text, landing_site text, utm_source text, utm_medium text, "
      "utm_campaign text, refund_local text, refund_amount bigint, refund_reason text) ON COMMIT DROP");

  std::vector<std::size_t> loyal;
  std::size_t n_customers = 0;
  {
    pqxx::stream_to orders(tx, "seed_orders",
                           std::vector<std::string>{"ext",
                                                    "public_id",
                                                    "number",
                                                    "customer_ext",
                                                    "new_customer",
                                                    "first_name",
                                                    "last_name",
                                                    "email",
                                                    "placed_local",
                                                    "cancelled_local",
                                                    "is_test",
                                                    "currency",
                                                    "total",
                                                    "subtotal",
                                                    "discounts",
                                                    "shipping",
                                                    "tax",
                                                    "financial_status",
                                                    "fulfillment_status",
                                                    "landing_site",
                                                    "utm_source",
                                                    "utm_medium",
                                                    "utm_campaign",
                                                    "refund_local",
                                                    "refund_amount",
                                                    "refund_reason"});
    std::int64_t seq = 0;
    double cumulative = 0;
    std::int64_t placed_so_far = 0;
    for (int d = 0; d < n_days; ++d) {
      cumulative += weight[static_cast<std::size_t>(d)];
      const auto target =
          static_cast<std::int64_t>(std::llround(cumulative / total_weight * static_cast<double>(spec.orders)));
      const std::int64_t today_orders = target - placed_so_far;
      placed_so_far = target;
      const Day day = first + days(d);
      const bool is_today = d == n_days - 1;
      const double bf_boost = season(day, 1.0) > 2.0 ? 1.0 : 0.0;
      std::vector<const Campaign*> active;
      for (const auto& c : campaigns) {
        if (d >= c.start && d <= c.end) active.push_back(&c);
      }
      for (std::int64_t k = 0; k < today_orders; ++k) {
        ++seq;
        // Evening-heavy time of day; today's orders only up to now.
        std::int64_t second;
        if (is_today) {
          second = rng.range(0, std::max<std::int64_t>(0, now_seconds - 1));
        } else {
          const double h = std::fmod(std::max(0.0, rng.normal(14.5, 5.0)) + 24.0, 24.0);
          second = std::min<std::int64_t>(86399, static_cast<std::int64_t>(h * 3600));
        }
        // Customer: most are one-time; a loyal few come back again and again.
        std::string customer_ext;
        std::string email;
        std::string first_name, last_name;
        bool new_customer = false;
        bool returning = false;
        if (rng.chance(0.03)) {  // guest checkout without a customer record
          email = fmt::format("guest{}@example.net", seq);
        } else if (n_customers > 50 && rng.chance(0.27)) {
          returning = true;
          const std::size_t idx =
              !loyal.empty() && rng.chance(0.6)
                  ? loyal[static_cast<std::size_t>(rng.range(0, static_cast<std::int64_t>(loyal.size()) - 1))]
                  : static_cast<std::size_t>(rng.range(0, static_cast<std::int64_t>(n_customers) - 1));
          customer_ext = fmt::format("cust-{}", idx + 1);
          email = fmt::format("customer{}@example.com", idx + 1);
        } else {
          const std::size_t idx = n_customers++;
          if (rng.chance(0.12)) loyal.push_back(idx);
          customer_ext = fmt::format("cust-{}", idx + 1);
          email = fmt::format("customer{}@example.com", idx + 1);
          new_customer = true;
          first_name = kFirstNames[static_cast<std::size_t>(rng.range(0, 15))];
          last_name = kLastNames[static_cast<std::size_t>(rng.range(0, 15))];
        }
        // Channel by UTM: returning customers come back through email and direct more often.
        std::string utm_source, utm_medium, utm_campaign, landing;
        const std::string product(kProducts[static_cast<std::size_t>(rng.range(0, kProducts.size() - 1))]);
        const double r = rng.uniform();
        const double unattributed = returning ? 0.5 : 0.22;
        if (r < unattributed || active.empty()) {
          const double o = rng.uniform();
          if (o < 0.45) {
            landing = "/products/" + product;
          } else if (o < 0.7) {
            utm_source = "google";
            utm_medium = "organic";
            landing = "/products/" + product;
          } else {
            utm_source = "klaviyo";
            utm_medium = "email";
            utm_campaign = "weekly-newsletter";
            landing = "/products/" + product + "?utm_source=klaviyo&utm_medium=email&utm_campaign=weekly-newsletter";
          }
        } else {
          // A campaign active today, in proportion to its budget.
          double total = 0;
          for (const auto* c : active) total += c->weight;
          double pick = rng.uniform() * total;
          const Campaign* chosen = active.back();
          for (const auto* c : active) {
            pick -= c->weight;
            if (pick <= 0) {
              chosen = c;
              break;
            }
          }
          utm_source = chosen->platform->utm_source;
          utm_medium = chosen->platform->utm_medium;
          utm_campaign = chosen->slug;
          const std::string click = chosen->platform->id == "facebook_ads" ? "fbclid"
                                    : chosen->platform->id == "google_ads" ? "gclid"
                                                                           : "ttclid";
          landing = fmt::format("/products/{}?utm_source={}&utm_medium={}&utm_campaign={}&{}={}", product, utm_source,
                                utm_medium, utm_campaign, click, rng.base62(24));
        }
        // Basket: lognormal subtotal, discounts (deep on BFCM), free shipping over 75, 8% tax.
        const std::string currency = rng.chance(0.04) && spec.currency == "USD" ? "EUR" : spec.currency;
        const double scale = currency == spec.currency ? 1.0 : 0.93;
        const auto subtotal =
            static_cast<std::int64_t>(std::llround(std::exp(rng.normal(std::log(6800.0), 0.55)) * scale / 5.0) * 5);
        std::int64_t discount = 0;
        if (rng.chance(0.22 + 0.45 * bf_boost)) {
          discount = static_cast<std::int64_t>(
              std::llround(static_cast<double>(subtotal) * (bf_boost > 0 ? 0.25 : 0.10 + 0.05 * rng.range(0, 2))));
        }
        const std::int64_t shipping = subtotal - discount >= 7500 ? 0 : 695;
        const auto tax = static_cast<std::int64_t>(std::llround(static_cast<double>(subtotal - discount) * 0.08));
        const std::int64_t total = subtotal - discount + shipping + tax;
        // Status: ~1% cancelled, ~0.3% test, ~3% refunded later (only if that is in the past).
        const bool test = rng.chance(0.003);
        const bool cancelled = !test && rng.chance(0.01);
        std::string financial = "paid";
        std::string cancelled_local;
        std::string refund_local, refund_reason;
        std::int64_t refund_amount = 0;
        const std::int64_t age_seconds = (n_days - 1 - d) * 86400LL + (now_seconds - second);
        if (cancelled) {
          financial = "voided";
          const std::int64_t after = std::min<std::int64_t>(age_seconds, rng.range(600, 36 * 3600));
          const std::int64_t at = second + after;
          cancelled_local = ts(day + days(at / 86400), at % 86400);
        } else if (!test && rng.chance(0.03)) {
          const std::int64_t after = rng.range(2 * 86400, 30 * 86400);
          if (after < age_seconds) {
            const bool full = rng.chance(0.7);
            const std::int64_t amount =
                full
                    ? total
                    : static_cast<std::int64_t>(std::llround(static_cast<double>(total) * (0.2 + 0.4 * rng.uniform())));
            financial = full ? "refunded" : "partially_refunded";
            const std::int64_t at = second + after;
            refund_local = ts(day + days(at / 86400), at % 86400);
            refund_amount = amount;
            refund_reason = full ? "customer_return" : "damaged_item";
          }
        }
        const std::string fulfillment = cancelled ? "" : age_seconds > 2 * 86400 ? "fulfilled" : "";
        orders << std::make_tuple(
            fmt::format("order-{}", seq), "ord_" + rng.base62(22), fmt::format("#{}", 1000 + seq), customer_ext,
            new_customer, first_name, last_name, test ? std::string("test@example.com") : email, ts(day, second),
            cancelled_local, test, currency, total, subtotal, discount, shipping, tax, financial, fulfillment, landing,
            utm_source, utm_medium, utm_campaign, refund_local, refund_amount, refund_reason);
        ++counts.orders;
      }
    }
    orders.complete();
  }

  tx.exec_params0(R"sql(
INSERT INTO customers (account_id, platform, external_id, email, first_name, last_name)
SELECT $1, 'shopify', s.customer_ext, s.email, s.first_name, s.last_name
  FROM seed_orders s
 WHERE s.new_customer)sql",
                  account_id);
  tx.exec_params0(R"sql(
INSERT INTO orders (account_id, public_id, platform, external_id, order_number, customer_id, email, placed_at,
                    updated_at_source, currency, total_minor, subtotal_minor, discounts_minor, shipping_minor, tax_minor,
                    financial_status, fulfillment_status, cancelled_at, is_test, source_name, landing_site,
                    referring_site, utm_source, utm_medium, utm_campaign)
SELECT $1, s.public_id, 'shopify', s.ext, s.number, c.id, s.email, s.placed_local AT TIME ZONE a.timezone,
       s.placed_local AT TIME ZONE a.timezone, s.currency, s.total, s.subtotal, s.discounts, s.shipping, s.tax,
       s.financial_status, nullif(s.fulfillment_status, ''), nullif(s.cancelled_local, '')::timestamp AT TIME ZONE a.timezone,
       s.is_test, 'web', s.landing_site,
       CASE s.utm_source WHEN 'facebook' THEN 'https://l.facebook.com/' WHEN 'tiktok' THEN 'https://www.tiktok.com/'
                         WHEN 'google' THEN 'https://www.google.com/' END,
       nullif(s.utm_source, ''), nullif(s.utm_medium, ''), nullif(s.utm_campaign, '')
  FROM seed_orders s
  JOIN accounts a ON a.id = $1
  LEFT JOIN customers c ON c.account_id = $1 AND c.platform = 'shopify' AND c.external_id = nullif(s.customer_ext, ''))sql",
                  account_id);
  tx.exec_params0(R"sql(
INSERT INTO order_refunds (account_id, order_id, platform, external_id, refunded_at, currency, amount_minor, reason)
SELECT $1, o.id, 'shopify', 'refund-' || r.ext, r.refund_local::timestamp AT TIME ZONE a.timezone, r.currency,
       r.refund_amount, r.refund_reason
  FROM seed_orders r
  JOIN accounts a ON a.id = $1
  JOIN orders o ON o.account_id = $1 AND o.platform = 'shopify' AND o.external_id = r.ext
 WHERE r.refund_local <> '')sql",
                  account_id);

  tx.exec0("DROP TABLE seed_orders");
  return counts;
}

void insert_fx_rates(pqxx::work& tx, Day from, Day to) {
  std::string values;
  for (Day d = from; d <= to; d += days(1)) {
    const unsigned iso = std::chrono::weekday{d}.iso_encoding();
    if (iso >= 6) continue;  // no fixing at weekends, as with the ECB: lookups fall back to Friday
    if (!values.empty()) values += ',';
    values += fmt::format("('{}','EUR','USD',{:.6f},'demo')", schemas::metrics::format_day(d), eur_usd(d));
  }
  if (values.empty()) return;
  tx.exec0("INSERT INTO fx_rates (date, base, quote, rate, source) VALUES " + values +
           " ON CONFLICT (date, base, quote) DO NOTHING");
}

}  // namespace

DemoResult SystemTasks::seed_demo(const DemoOptions& o, const std::function<void(const std::string&)>& progress) {
  if (o.days < 7 || o.days > 1096) throw Error(ErrorCode::invalid_argument, "--days must be from 7 to 1096.");
  if (o.orders < 0 || o.orders_per_extra < 0) throw Error(ErrorCode::invalid_argument, "Order counts must be >= 0.");
  if (o.accounts < 1 || o.accounts > 10000) throw Error(ErrorCode::invalid_argument, "--accounts must be 1 to 10000.");
  if (o.end_date && !schemas::metrics::parse_day(*o.end_date)) {
    throw Error(ErrorCode::invalid_argument, "--end-date must be a date as YYYY-MM-DD.");
  }
  DemoResult result;
  result.email = o.email;
  if (o.if_empty) {
    const bool any = pool_.read(
        [](pqxx::read_transaction& tx) { return tx.exec1("SELECT EXISTS (SELECT 1 FROM accounts)")[0].as<bool>(); });
    if (any) {
      result.skipped = true;
      return result;
    }
  }
  const std::string password = o.password.value_or(security::random_base62(16));
  if (!o.password) result.password = password;
  const std::string hash = security::hash_password(password, o.bcrypt_cost);

  Rng rng(o.seed);
  const auto [user_id, today_text, now_seconds] = pool_.transact([&](pqxx::work& tx) {
    if (tx.exec_params1("SELECT EXISTS (SELECT 1 FROM users WHERE lower(email) = lower($1))", o.email)[0].as<bool>()) {
      throw Error(ErrorCode::conflict, fmt::format("A user {} already exists; pick another --email.", o.email));
    }
    const auto uid = tx.exec_params1(
                           "INSERT INTO users (public_id, email, name, password_hash, email_verified_at) "
                           "VALUES ($1, $2, 'Demo User', $3, now()) RETURNING id",
                           security::new_public_id("usr"), o.email, hash)[0]
                         .as<std::int64_t>();
    const auto now = tx.exec1(
        "SELECT (now() AT TIME ZONE 'America/New_York')::date::text, "
        "extract(epoch FROM (now() AT TIME ZONE 'America/New_York')::time)::bigint");
    return std::make_tuple(uid, now[0].as<std::string>(), now[1].as<std::int64_t>());
  });

  static constexpr std::array<std::pair<std::string_view, std::string_view>, 5> kZones{{{"America/Los_Angeles", "USD"},
                                                                                        {"Europe/Berlin", "EUR"},
                                                                                        {"America/Chicago", "USD"},
                                                                                        {"Australia/Sydney", "USD"},
                                                                                        {"Europe/Paris", "EUR"}}};
  Day today = *schemas::metrics::parse_day(today_text);
  std::int64_t now_of_day = now_seconds;
  if (o.end_date) {
    today = *schemas::metrics::parse_day(*o.end_date);
    now_of_day = 86400;  // a whole last day: the data then depends on the seed and end date only
  }
  for (int k = 0; k < o.accounts; ++k) {
    StoreSpec spec = k == 0 ? StoreSpec{"Northwind Outfitters (demo)", "America/New_York", "USD", o.orders, 40, o.days}
                            : StoreSpec{fmt::format("Client store {:03}", k),
                                        std::string(kZones[static_cast<std::size_t>(k) % kZones.size()].first),
                                        std::string(kZones[static_cast<std::size_t>(k) % kZones.size()].second),
                                        o.orders_per_extra,
                                        6,
                                        o.days};
    const auto store_started = std::chrono::steady_clock::now();
    const auto counts = pool_.transact([&](pqxx::work& tx) {
      tx.exec0("SET LOCAL otq.defer_rollups = 'on'");
      tx.exec0("SET LOCAL statement_timeout = 0");
      // The staging joins hash a million rows: in memory instead of spilled in 4 MB batches.
      tx.exec0("SET LOCAL work_mem = '256MB'");
      insert_fx_rates(tx, today - days(o.days + 7), today);
      // Each store's "now" is its own zone's; the demo clock is close enough for every zone. The
      // demo is comped on the Agency plan, so its whole history and every feature can be shown.
      const auto account_id =
          tx.exec_params1(
                "INSERT INTO accounts (public_id, name, timezone, currency, plan) VALUES ($1, $2, $3, $4, 'agency') "
                "RETURNING id",
                security::new_public_id("acct"), spec.name, spec.timezone, spec.currency)[0]
              .as<std::int64_t>();
      tx.exec_params0("INSERT INTO memberships (account_id, user_id, role) VALUES ($1, $2, 'owner')", account_id,
                      user_id);
      auto c = load_store(tx, account_id, spec, rng, today, now_of_day);
      models::metrics::rebuild_rollups(tx, models::AccountScope(account_id));
      return c;
    });
    result.orders += counts.orders;
    result.spend_rows += counts.spend_rows;
    ++result.accounts;
    if (progress && (k == 0 || (k + 1) % 50 == 0 || k + 1 == o.accounts)) {
      const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - store_started).count();
      progress(fmt::format("seed-demo: store {}/{} \"{}\": {} orders, {} spend rows in {:.1f} s", k + 1, o.accounts,
                           spec.name, counts.orders, counts.spend_rows, seconds));
    }
  }
  return result;
}

models::AccountScope SystemTasks::account_scope(const std::string& account_public_id) {
  const auto id = pool_.read([&](pqxx::read_transaction& tx) -> std::optional<std::int64_t> {
    const auto r = tx.exec_params("SELECT id FROM accounts WHERE public_id = $1", account_public_id);
    if (r.empty()) return std::nullopt;
    return r[0][0].as<std::int64_t>();
  });
  if (!id) throw Error(ErrorCode::not_found, fmt::format("No account {}.", account_public_id));
  return models::AccountScope(*id);
}

std::int64_t SystemTasks::rebuild_rollups(const std::optional<std::string>& account_public_id) {
  const auto ids = pool_.read([&](pqxx::read_transaction& tx) {
    std::vector<std::int64_t> out;
    for (const auto& r : tx.exec_params("SELECT id FROM accounts WHERE $1::text IS NULL OR public_id = $1 ORDER BY id",
                                        account_public_id)) {
      out.push_back(r[0].as<std::int64_t>());
    }
    return out;
  });
  if (account_public_id && ids.empty()) {
    throw Error(ErrorCode::not_found, fmt::format("No account {}.", *account_public_id));
  }
  for (const auto id : ids) {
    pool_.transact([&](pqxx::work& tx) {
      tx.exec0("SET LOCAL statement_timeout = 0");
      models::metrics::rebuild_rollups(tx, models::AccountScope(id));
    });
  }
  return static_cast<std::int64_t>(ids.size());
}

SystemTasks::ResealResult SystemTasks::reseal_credentials(const security::CredentialCipher& cipher) {
  ResealResult result;
  struct Row {
    std::int64_t account, id;
    std::string public_id, key_id;
  };
  const auto rows = pool_.read([&](pqxx::read_transaction& tx) {
    std::vector<Row> out;
    for (const auto& r : tx.exec("SELECT account_id, id, public_id, credentials_key_id FROM integrations "
                                 "WHERE credentials_ciphertext IS NOT NULL ORDER BY account_id, id")) {
      out.push_back({r[0].as<std::int64_t>(), r[1].as<std::int64_t>(), r[2].as<std::string>(), r[3].as<std::string>()});
    }
    return out;
  });
  for (const auto& row : rows) {
    if (row.key_id == cipher.active_key_id()) {
      ++result.current;
      continue;
    }
    const models::AccountScope scope(row.account);
    const bool done = pool_.transact([&](pqxx::work& tx) {
      // Re-read under a row lock: a reconnect between the listing and now must not be overwritten.
      const auto sealed = tx.exec_params(
          "SELECT credentials_key_id, credentials_ciphertext FROM integrations "
          "WHERE account_id = $1 AND id = $2 AND credentials_ciphertext IS NOT NULL FOR UPDATE",
          scope.account_id(), row.id);
      if (sealed.empty()) return true;
      const security::SealedCredential current{sealed[0][0].as<std::string>(), pqxx::binarystring(sealed[0][1]).str()};
      if (current.key_id == cipher.active_key_id()) return true;
      const std::string binding = models::integration::credential_binding(scope, row.public_id);
      try {
        models::integration::set_credentials(tx, scope, row.id, cipher.seal(cipher.open(current, binding), binding));
      } catch (const security::CredentialError& e) {
        log::warn("credentials_not_resealed", {{"integration", row.public_id}, {"detail", e.what()}});
        return false;
      }
      return true;
    });
    if (done) {
      ++result.resealed;
    } else {
      ++result.unreadable;
    }
  }
  return result;
}

}  // namespace otq::services
