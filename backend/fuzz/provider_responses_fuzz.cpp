// Fuzz target: what the connectors read from a provider's response besides the rows: Meta's usage
// headers (usage_pause) and error envelope (raise_for), Shopify's Link, call-limit and timestamp
// texts (next_link, bucket_pause, epoch_seconds), and Retry-After (parse_retry_after). The input is
// used as every header value and as the error body. Kept apart from the page readers so a finding
// here does not stop the fuzzing of those.
//
// Contract: usage_pause is 0-600 s and throws nothing; raise_for throws only the connector's
// NeedsUser or Transient; next_link returns empty or a URL that stood between < and >;
// bucket_pause and parse_retry_after are never negative; none of them crash.
#include "app/connectors/meta/meta_connector.hpp"
#include "app/connectors/shopify/shopify_connector.hpp"
#include "contract.hpp"

namespace {

using otq::fuzz::expect_no_throw;
using otq::fuzz::require;
namespace connectors = otq::connectors;

void meta_checks(std::string_view input) {
  connectors::HttpResponse res;
  res.body = std::string(input);
  for (const char* name : {"X-App-Usage", "X-Ad-Account-Usage", "X-FB-Ads-Insights-Throttle",
                           "X-Business-Use-Case-Usage"}) {
    res.headers[name] = std::string(input);
  }
  for (const long status : {400L, 429L, 500L}) {
    res.status = status;
    expect_no_throw("usage_pause", [&] {
      const auto wait = connectors::meta::usage_pause(res);
      require(wait.count() >= 0 && wait.count() <= 600, "usage_pause", std::to_string(wait.count()) + " s");
    });
    try {
      connectors::meta::raise_for(res);
    } catch (const connectors::NeedsUser&) {
    } catch (const connectors::Transient& t) {
      require(!t.retry_after() || t.retry_after()->count() >= 0, "raise_for", "a negative retry_after");
    } catch (const std::bad_exception&) {
      throw;
    } catch (const std::exception& e) {
      otq::fuzz::violation("raise_for/" + otq::fuzz::current_exception_type(), e.what());
    }
  }
}

void shopify_checks(std::string_view input) {
  expect_no_throw("next_link", [&] {
    const std::string url = connectors::shopify::next_link(input);
    require(url.empty() || input.find("<" + url + ">") != std::string_view::npos, "next_link", url);
  });
  expect_no_throw("bucket_pause", [&] {
    require(connectors::shopify::bucket_pause(input).count() >= 0, "bucket_pause", "a negative pause");
  });
  expect_no_throw("epoch_seconds", [&] {
    const auto t = connectors::shopify::epoch_seconds(input);
    require(t.has_value() == otq::schemas::ingest::is_rfc3339(input), "epoch_seconds", "disagrees with is_rfc3339");
  });
  expect_no_throw("parse_retry_after", [&] {
    const auto wait = connectors::parse_retry_after(input);
    require(!wait || (wait->count() >= 0 && wait->count() <= 86400), "parse_retry_after", "out of 0-86400 s");
  });
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return otq::fuzz::run_input([&] {
    const std::string_view input = otq::fuzz::as_text(data, size);
    meta_checks(input);
    shopify_checks(input);
  });
}
