// The campaigns CSV: one row per campaign, money in the currency's decimals, names kept safe.
import { describe, expect, it } from "vitest";

import type { Campaign } from "@/hooks/useMetrics";

import { campaignsCsv } from "./exports";

const campaign: Campaign = {
  platform: "facebook_ads",
  campaign_id: "120210000000001",
  ad_account_id: "act_1001",
  name: "=Prospecting, US",
  spend: 1234567,
  impressions: 100000,
  clicks: 2500,
  ctr: 0.025,
  cpc: 494,
  cpm: null,
  conversions: 41.5,
  conversion_value: 5000000,
  platform_roas: 4.05,
  share_of_spend: 1,
};

describe("campaignsCsv", () => {
  it("writes a header and a row with decimal money and a neutralised formula-like name", () => {
    const [header, row, end] = campaignsCsv([campaign], "USD").split("\r\n");
    expect(header).toBe(
      "platform,ad_account_id,campaign_id,name,currency,spend,impressions,clicks,ctr,cpc,cpm,conversions,conversion_value,platform_roas",
    );
    expect(row).toBe(
      "facebook_ads,act_1001,120210000000001,\"'=Prospecting, US\",USD,12345.67,100000,2500,0.025,4.94,,41.5,50000.00,4.05",
    );
    expect(end).toBe("");
  });

  it("uses the currency's own decimals (none for JPY)", () => {
    const row = campaignsCsv([{ ...campaign, name: "JP", spend: 150000, cpc: 60, conversion_value: 900000 }], "JPY").split("\r\n")[1];
    expect(row).toContain(",JPY,150000,");
    expect(row).toContain(",900000,");
  });
});
