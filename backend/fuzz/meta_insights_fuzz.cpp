// Fuzz target: Meta insights pages read by connectors::meta::InsightsReader (simdjson On Demand), the
// body of GET /act_<id>/insights as Meta (or anything answering at META_API_BASE) sends it.
//
// Contract (meta_connector.hpp): read() returns a page or throws Transient (the sync retries
// later); no other exception, no crash. A row it returns is one the ad_spend table accepts (its
// CHECK constraints: currency of three capitals, spend, conversions and conversion value >= 0),
// since one refused row fails the whole batch and with it every later sync of the account.
#include <algorithm>

#include "app/connectors/meta/meta_connector.hpp"
#include "app/connectors/money.hpp"
#include "contract.hpp"

namespace {

using otq::fuzz::require;
namespace meta = otq::connectors::meta;

void check_page(const meta::InsightsPage& page, const std::string& act) {
  const std::string check = "InsightsReader::read";
  for (const auto& r : page.rows) {
    require(r.platform == "facebook_ads" && r.ad_account_id == act && !r.campaign_id.empty(), check, "ids");
    require(otq::schemas::ingest::is_iso_date(r.date), check, "date " + r.date);
    require(r.currency.size() == 3 &&
                std::all_of(r.currency.begin(), r.currency.end(), [](char c) { return c >= 'A' && c <= 'Z'; }),
            check, "currency '" + r.currency + "' (ad_spend: ^[A-Z]{3}$)");
    require(r.spend >= 0 && r.impressions >= 0 && r.clicks >= 0 && r.conversion_value >= 0, check,
            "a negative amount or count");
    const auto conversions = otq::connectors::decimal_to_minor(r.conversions, 4);
    require(conversions && *conversions >= 0, check, "conversions '" + r.conversions + "' (ad_spend: >= 0)");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // One reader for every input, as one sync reads all its pages with one (buffers are reused).
  static meta::InsightsReader reader;
  return otq::fuzz::run_input([&] {
    const std::string_view body = otq::fuzz::as_text(data, size);
    for (const char* purchase_type : {"omni_purchase", "offsite_conversion.fb_pixel_purchase"}) {
      try {
        check_page(reader.read(body, "act_1", purchase_type), "act_1");
      } catch (const otq::connectors::Transient&) {
      } catch (const std::bad_exception&) {
        throw;
      } catch (const std::exception& e) {
        otq::fuzz::violation("InsightsReader::read/" + otq::fuzz::current_exception_type(), e.what());
      }
    }
  });
}
