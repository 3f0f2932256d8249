import { describe, expect, it } from "vitest";

import {
  addDays,
  isDay,
  lengthInDays,
  presetRange,
  previousPeriod,
  rangeFromSearch,
  rangeToSearch,
  todayIn,
} from "@/lib/date-range";

// 2026-11-27 03:30 UTC: still the 26th in New York, already the 27th in Tokyo.
const NOW = new Date("2026-11-27T03:30:00Z");

describe("days in the account's time zone", () => {
  it("puts today on the account's wall clock", () => {
    expect(todayIn("America/New_York", NOW)).toBe("2026-11-26");
    expect(todayIn("Asia/Tokyo", NOW)).toBe("2026-11-27");
  });
  it("reads only real calendar days", () => {
    expect(isDay("2026-02-28")).toBe(true);
    expect(isDay("2026-02-30")).toBe(false);
    expect(isDay("2026-2-3")).toBe(false);
    expect(addDays("2026-03-01", -1)).toBe("2026-02-28");
    expect(addDays("2024-02-28", 1)).toBe("2024-02-29");
  });
});

describe("presets", () => {
  it("include today and count whole local days", () => {
    expect(presetRange("today", "Asia/Tokyo", NOW)).toEqual({ preset: "today", from: "2026-11-27", to: "2026-11-27" });
    expect(presetRange("yesterday", "America/New_York", NOW)).toMatchObject({ from: "2026-11-25", to: "2026-11-25" });
    expect(presetRange("last_7_days", "UTC", NOW)).toMatchObject({ from: "2026-11-21", to: "2026-11-27" });
    expect(lengthInDays(presetRange("last_30_days", "UTC", NOW))).toBe(30);
    expect(lengthInDays(presetRange("last_90_days", "UTC", NOW))).toBe(90);
    expect(presetRange("month_to_date", "UTC", NOW)).toMatchObject({ from: "2026-11-01", to: "2026-11-27" });
  });
  it("compare with the equally long period just before", () => {
    expect(previousPeriod({ from: "2026-11-01", to: "2026-11-30" })).toEqual({ from: "2026-10-02", to: "2026-10-31" });
    expect(previousPeriod({ from: "2026-03-01", to: "2026-03-01" })).toEqual({ from: "2026-02-28", to: "2026-02-28" });
  });
});

describe("the range in the URL", () => {
  it("round-trips presets and custom ranges, keeping other parameters", () => {
    const custom = { preset: "custom" as const, from: "2026-10-01", to: "2026-10-31" };
    const params = rangeToSearch(custom, new URLSearchParams("platform=meta&range=today"));
    expect(params.toString()).toBe("platform=meta&from=2026-10-01&to=2026-10-31");
    expect(rangeFromSearch(params, "UTC", NOW)).toEqual(custom);
    const week = presetRange("last_7_days", "UTC", NOW);
    expect(rangeToSearch(week).toString()).toBe("range=last_7_days");
    expect(rangeFromSearch(rangeToSearch(week), "UTC", NOW)).toEqual(week);
    expect(rangeToSearch(presetRange("last_30_days", "UTC", NOW)).toString()).toBe("");
  });
  it("falls back to the last 30 days for anything it cannot read", () => {
    for (const q of ["from=2026-11-30&to=2026-11-01", "from=2026-02-30&to=2026-03-01", "range=forever", ""]) {
      expect(rangeFromSearch(new URLSearchParams(q), "UTC", NOW)).toMatchObject({ preset: "last_30_days" });
    }
  });
});
