// The overview against a stubbed API: KPI values in the account's currency, deltas coloured by
// whether the change is good news, and each metric's formula from /metrics/definitions.
import { screen, within } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";

import { stubApi } from "@/test/api-stub";
import { campaign, campaignPage, me } from "@/test/fixtures";
import { setTestUrl } from "@/test/navigation";
import { renderWithClient } from "@/test/render";

import OverviewPage from "./page";

vi.mock("next/navigation", () => import("@/test/navigation"));

const NAMES = ["spend", "revenue", "refunds", "net_revenue", "orders", "aov", "roas", "mer", "new_customers", "returning_customers", "ncac", "impressions", "clicks", "ctr", "cpc", "cpm", "conversions", "conversion_value", "platform_roas"];

type Missing = { from: string; to: string; date: string };

function summary(values: Record<string, [number | null, number | null]>, currency = "EUR", missing: Missing[] = []) {
  const metrics = Object.fromEntries(
    NAMES.map((n) => {
      const [value, previous] = values[n] ?? [0, 0];
      return [n, { value, previous }];
    }),
  );
  return {
    data: { from: "2026-11-01", to: "2026-11-07", timezone: "Europe/Berlin", currency, platform: null, compare: { from: "2026-10-25", to: "2026-10-31" }, metrics, missing_fx_rates: missing },
  };
}

const timeseries = {
  data: { from: "2026-11-01", to: "2026-11-07", interval: "day", timezone: "Europe/Berlin", currency: "EUR", metrics: ["revenue", "spend"], group_by: null, series: [{ key: "all", points: [{ start: "2026-11-01", end: "2026-11-01", revenue: 100000, spend: 25000 }] }], missing_fx_rates: [] },
};
const channels = {
  data: [{ channel: "facebook_ads", spend: 25000, orders: 3, revenue: 60000, refunds: 0, net_revenue: 60000, new_customers: 2, aov: 20000, roas: 2.4, ncac: 12500, conversion_value: 70000, platform_roas: 2.8 }],
  totals: {},
  from: "2026-11-01",
  to: "2026-11-07",
  timezone: "Europe/Berlin",
  currency: "EUR",
  missing_fx_rates: [],
};
const definitions = {
  data: [{ name: "mer", label: "MER", formula: "net_revenue / spend", description: "Marketing efficiency ratio.", unit: "ratio", higher_is_better: true, zero_denominator: "null" }],
};

beforeEach(() => setTestUrl("/dashboard?range=custom&from=2026-11-01&to=2026-11-07"));

describe("Overview", () => {
  it("shows KPIs in the account currency with good news green, bad news red, and spend neutral", async () => {
    stubApi({
      "GET /auth/me": { body: me({ currency: "EUR", timezone: "Europe/Berlin" }) },
      "GET /metrics/summary": { body: summary({ revenue: [1250000, 1000000], spend: [300000, 200000], ncac: [5000, 4000], mer: [4.1, 3.9] }) },
      "GET /metrics/timeseries": { body: timeseries },
      "GET /metrics/channels": { body: channels },
      "GET /metrics/campaigns": { body: { ...campaignPage([campaign("Prospecting", 25000)]), currency: "EUR" } },
      "GET /metrics/definitions": { body: definitions },
    });
    renderWithClient(<OverviewPage />);
    const revenue = await screen.findByTestId("kpi-revenue");
    expect(revenue.textContent).toContain("€12,500.00");
    const delta = (name: string) => screen.getByTestId(`kpi-${name}`).querySelectorAll("dd")[1]!;
    expect(delta("revenue").textContent).toContain("+25.0%");
    expect(delta("revenue").className).toContain("emerald");
    expect(delta("spend").textContent).toContain("+50.0%");
    expect(delta("spend").className).toContain("muted");
    expect(delta("ncac").textContent).toContain("+25.0%");
    expect(delta("ncac").className).toContain("red");
    expect(screen.getByTestId("kpi-mer").textContent).toContain("4.10×");
    const tip = await screen.findByTestId("definition-mer");
    expect(tip.textContent).toContain("net_revenue / spend");
    expect(screen.getByRole("button", { name: "How MER is calculated" }).getAttribute("aria-describedby")).toBe(tip.id);
    // The charts' figures are readable without the picture.
    const chart = await screen.findByTestId("revenue-spend-chart");
    expect((await within(chart).findByRole("img")).getAttribute("aria-label")).toContain("Revenue €1,000.00 and ad spend €250.00");
    expect((await screen.findByTestId("channel-facebook_ads")).textContent).toContain("2.40×");
    expect((await screen.findByTestId("top-campaigns")).textContent).toContain("Prospecting");
  });

  it("says which amounts are left out for want of an exchange rate", async () => {
    const body = summary({ revenue: [100, 100] }, "EUR", [
      { from: "GBP", to: "EUR", date: "2026-11-03" },
      { from: "GBP", to: "EUR", date: "2026-11-01" },
    ]);
    stubApi({
      "GET /auth/me": { body: me({ currency: "EUR" }) },
      "GET /metrics/summary": { body },
      "GET /metrics/timeseries": { body: timeseries },
      "GET /metrics/channels": { body: channels },
      "GET /metrics/campaigns": { body: campaignPage([]) },
      "GET /metrics/definitions": { body: definitions },
    });
    renderWithClient(<OverviewPage />);
    const notice = await screen.findByTestId("fx-notice");
    expect(notice.textContent).toContain("between 2026-11-01 and 2026-11-03");
    expect(notice.textContent).toContain("GBP → EUR on 2 days");
  });

  it("points an account without data at Integrations", async () => {
    stubApi({
      "GET /auth/me": { body: me() },
      "GET /metrics/summary": { body: summary({}, "USD") },
      "GET /metrics/timeseries": { body: { data: { ...timeseries.data, currency: "USD", series: [{ key: "all", points: [] }] } } },
      "GET /metrics/channels": { body: { ...channels, data: [] } },
      "GET /metrics/campaigns": { body: campaignPage([]) },
      "GET /metrics/definitions": { body: definitions },
    });
    renderWithClient(<OverviewPage />);
    const link = await screen.findByRole("link", { name: "Connect Shopify and Meta Ads" });
    expect(link.getAttribute("href")).toBe("/integrations");
    await screen.findByText(/No revenue or spend in this range/);
    await screen.findByText(/No campaign spend in this range/);
  });
});
