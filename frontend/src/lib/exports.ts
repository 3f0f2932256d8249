// CSV files the pages offer for download, built from API rows: money as plain decimals of the
// currency, ratios as numbers, so a spreadsheet can compute with them.
import type { Campaign } from "@/hooks/useMetrics";

import { minorToDecimal, toCsv } from "./csv";
import { currencyDigits } from "./format";

export function campaignsCsv(rows: Campaign[], currency: string): string {
  const digits = currencyDigits(currency);
  const m = (v: number | null) => (v === null ? null : minorToDecimal(v, digits));
  return toCsv(
    ["platform", "ad_account_id", "campaign_id", "name", "currency", "spend", "impressions", "clicks", "ctr", "cpc", "cpm", "conversions", "conversion_value", "platform_roas"],
    rows.map((r) => [r.platform, r.ad_account_id, r.campaign_id, r.name, currency, m(r.spend), r.impressions, r.clicks, r.ctr, m(r.cpc), m(r.cpm), r.conversions, m(r.conversion_value), r.platform_roas]),
  );
}
