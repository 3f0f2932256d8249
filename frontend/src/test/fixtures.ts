// API bodies shaped as the OpenAPI document says, for component tests.
import type { components } from "@/lib/api-types";

type Me = components["schemas"]["Me"];
type Campaign = components["schemas"]["Campaign"];
type OrderRow = components["schemas"]["OrderRow"];

export function me(overrides: Partial<Me["account"]> = {}): Me {
  const account = {
    id: "acct_aaaaaaaaaaaaaaaaaaaaaa",
    name: "Northwind",
    timezone: "America/New_York",
    currency: "USD",
    plan: "growth" as const,
    role: "owner" as const,
    ...overrides,
  };
  return { user: { id: "usr_aaaaaaaaaaaaaaaaaaaaaa", email: "ada@example.com", name: "Ada" }, account, role: account.role, accounts: [account] };
}

export function campaign(name: string, spend: number, platform = "facebook_ads"): Campaign {
  return {
    platform,
    campaign_id: `c-${name}`,
    ad_account_id: "act_1",
    name,
    spend,
    impressions: spend * 10,
    clicks: spend / 100,
    ctr: 0.01,
    cpc: 100,
    cpm: 1000,
    conversions: 3,
    conversion_value: spend * 3,
    platform_roas: 3,
    share_of_spend: 0.5,
  };
}

export function campaignPage(rows: Campaign[], nextCursor: string | null = null) {
  const spend = rows.reduce((s, r) => s + r.spend, 0);
  return {
    data: rows,
    totals: {
      campaigns: rows.length,
      spend,
      impressions: 0,
      clicks: 0,
      ctr: null,
      cpc: null,
      cpm: null,
      conversions: 0,
      conversion_value: 0,
      platform_roas: null,
    },
    next_cursor: nextCursor,
    from: "2026-10-29",
    to: "2026-11-27",
    currency: "USD",
    missing_fx_rates: [],
  };
}

export function order(number: string, overrides: Partial<OrderRow> = {}): OrderRow {
  return {
    id: `ord_${number}`,
    number: `#${number}`,
    placed_at: "2026-11-20T15:30:00Z",
    placed_at_local: "2026-11-20T10:30:00-05:00",
    customer: { email: "a***@example.com", type: "new" },
    currency: "USD",
    total: 12000,
    refunds: 0,
    net: 12000,
    status: "paid",
    financial_status: "paid",
    fulfillment_status: "fulfilled",
    source: { name: "web", utm_source: "facebook", utm_medium: "paid", utm_campaign: "bfcm", channel: "facebook_ads" },
    ...overrides,
  };
}

export const definitions = {
  data: [
    { name: "spend", label: "Ad spend", formula: "sum(spend)", description: "Spend.", unit: "money", higher_is_better: null, zero_denominator: "null" },
    { name: "ctr", label: "CTR", formula: "clicks / impressions", description: "Click-through rate.", unit: "percent", higher_is_better: true, zero_denominator: "null" },
  ],
};
