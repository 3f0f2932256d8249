// Date ranges of the dashboard: presets computed in the account's time zone, the previous period
// of equal length, and the range in the URL (so a view can be shared).

export type Day = string; // YYYY-MM-DD
export type Preset = "today" | "yesterday" | "last_7_days" | "last_30_days" | "last_90_days" | "month_to_date";
export type DateRange = { preset: Preset | "custom"; from: Day; to: Day };

export const PRESETS: { id: Preset; label: string }[] = [
  { id: "today", label: "Today" },
  { id: "yesterday", label: "Yesterday" },
  { id: "last_7_days", label: "Last 7 days" },
  { id: "last_30_days", label: "Last 30 days" },
  { id: "last_90_days", label: "Last 90 days" },
  { id: "month_to_date", label: "Month to date" },
];

export const DEFAULT_PRESET: Preset = "last_30_days";
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Today's date on the account's wall clock. */
export function todayIn(timeZone: string, now: Date = new Date()): Day {
  // en-CA writes dates as YYYY-MM-DD.
  return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(now);
}

/** A real calendar day (2026-02-30 is not). */
export function isDay(value: string): value is Day {
  if (!DAY.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

export function addDays(day: Day, n: number): Day {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** Days from `from` to `to`, both included. */
export function lengthInDays(range: { from: Day; to: Day }): number {
  return Math.round((Date.parse(`${range.to}T00:00:00Z`) - Date.parse(`${range.from}T00:00:00Z`)) / 86_400_000) + 1;
}

export function presetRange(preset: Preset, timeZone: string, now: Date = new Date()): DateRange {
  const today = todayIn(timeZone, now);
  const span = (days: number) => ({ preset, from: addDays(today, -(days - 1)), to: today });
  switch (preset) {
    case "today":
      return { preset, from: today, to: today };
    case "yesterday":
      return { preset, from: addDays(today, -1), to: addDays(today, -1) };
    case "last_7_days":
      return span(7);
    case "last_30_days":
      return span(30);
    case "last_90_days":
      return span(90);
    case "month_to_date":
      return { preset, from: `${today.slice(0, 8)}01`, to: today };
  }
}

/** The period of equal length that ends the day before `range` starts. */
export function previousPeriod(range: { from: Day; to: Day }): { from: Day; to: Day } {
  const to = addDays(range.from, -1);
  return { from: addDays(to, -(lengthInDays(range) - 1)), to };
}

/**
 * The range a URL asks for: `?range=<preset>` or `?from=&to=` (custom); anything unreadable, or
 * from after to, falls back to the default preset.
 */
export function rangeFromSearch(params: URLSearchParams, timeZone: string, now: Date = new Date()): DateRange {
  const from = params.get("from");
  const to = params.get("to");
  if (from && to && isDay(from) && isDay(to) && from <= to) return { preset: "custom", from, to };
  const preset = params.get("range");
  const known = PRESETS.find((p) => p.id === preset);
  return presetRange(known ? known.id : DEFAULT_PRESET, timeZone, now);
}

/** The URL parameters of a range: a preset stays a preset (it moves with the days). */
export function rangeToSearch(range: DateRange, params: URLSearchParams = new URLSearchParams()): URLSearchParams {
  const out = new URLSearchParams(params);
  out.delete("range");
  out.delete("from");
  out.delete("to");
  if (range.preset === "custom") {
    out.set("from", range.from);
    out.set("to", range.to);
  } else if (range.preset !== DEFAULT_PRESET) {
    out.set("range", range.preset);
  }
  return out;
}
