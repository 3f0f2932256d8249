import { describe, expect, it } from "vitest";

import {
  currencyDigits,
  formatDate,
  formatDateTime,
  formatDelta,
  formatMoney,
  formatPercent,
  formatRatio,
} from "@/lib/format";

describe("formatMoney", () => {
  it("reads minor units with the currency's own exponent", () => {
    expect(formatMoney(14900, "usd")).toBe("$149.00");
    expect(formatMoney(14900, "usd", { whole: true })).toBe("$149");
    expect(formatMoney(14950, "usd", { whole: true })).toBe("$149.50");
    expect(formatMoney(1500, "JPY")).toBe("¥1,500");
    expect(formatMoney(1234, "KWD")).toBe("KWD\u00a01.234") // ICU puts a no-break space after a code;
    expect(formatMoney(-250, "EUR")).toBe("-€2.50");
    expect(currencyDigits("jpy")).toBe(0);
  });
  it("keeps large amounts exact and can shorten them", () => {
    expect(formatMoney(123456789012, "USD")).toBe("$1,234,567,890.12");
    expect(formatMoney(123456789, "USD", { compact: true })).toBe("$1.2M");
  });
});

describe("ratios and percentages", () => {
  it("formats ROAS-like ratios and says when there is none", () => {
    expect(formatRatio(3.4166)).toBe("3.42×");
    expect(formatRatio(null)).toBe("—");
    expect(formatRatio(Number.POSITIVE_INFINITY)).toBe("—");
  });
  it("formats fractions as percentages", () => {
    expect(formatPercent(0.1234)).toBe("12.3%");
    expect(formatPercent(1, 0)).toBe("100%");
    expect(formatPercent(undefined)).toBe("—");
  });
});

describe("formatDelta", () => {
  it("colours a change by whether it is good news for that metric", () => {
    expect(formatDelta(120, 100, "up")).toEqual({ text: "+20.0%", tone: "good" });
    expect(formatDelta(80, 100, "up")).toEqual({ text: "−20.0%", tone: "bad" });
    expect(formatDelta(80, 100, "down")).toEqual({ text: "−20.0%", tone: "good" });
    expect(formatDelta(120, 100, "down")).toEqual({ text: "+20.0%", tone: "bad" });
  });
  it("has no percentage without a previous value, and calls a tiny change flat", () => {
    expect(formatDelta(50, 0, "up")).toEqual({ text: "—", tone: "neutral" });
    expect(formatDelta(50, null, "up")).toEqual({ text: "—", tone: "neutral" });
    expect(formatDelta(100.01, 100, "up")).toEqual({ text: "0.0%", tone: "neutral" });
  });
});

describe("dates in the account's time zone", () => {
  it("never shifts a plain day, whatever the zone", () => {
    expect(formatDate("2026-11-27", "Pacific/Auckland")).toBe("Nov 27, 2026");
    expect(formatDate("2026-11-27", "America/Los_Angeles")).toBe("Nov 27, 2026");
  });
  it("puts a moment on the account's local day", () => {
    // 03:30 UTC is still the previous evening in New York, already midday in Tokyo.
    expect(formatDate("2026-11-27T03:30:00Z", "America/New_York")).toBe("Nov 26, 2026");
    expect(formatDate("2026-11-27T03:30:00Z", "Asia/Tokyo")).toBe("Nov 27, 2026");
    expect(formatDateTime("2026-11-27T03:30:00Z", "Asia/Tokyo")).toBe("Nov 27, 2026, 12:30 PM");
  });
  it("returns what it cannot read unchanged", () => {
    expect(formatDate("not a date", "UTC")).toBe("not a date");
  });
});
