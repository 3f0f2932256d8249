// Formatting of money, ratios, percentages, deltas and dates, the same way on every page.
// Money arrives as integer minor units plus an ISO 4217 code (the API's convention, as Stripe's).

const DEFAULT_LOCALE = "en-US";

/** Digits after the decimal point of `currency` (2 for USD, 0 for JPY, 3 for KWD). */
export function currencyDigits(currency: string): number {
  return new Intl.NumberFormat(DEFAULT_LOCALE, { style: "currency", currency: currency.toUpperCase() }).resolvedOptions()
    .maximumFractionDigits ?? 2;
}

/**
 * Minor units as money: formatMoney(14900, "usd") → "$149.00"; `whole` drops zero cents ("$149").
 * Integer arithmetic for the split, so large amounts are never rounded through floats.
 */
export function formatMoney(
  minor: number,
  currency: string,
  options: { whole?: boolean; locale?: string; compact?: boolean } = {},
): string {
  const code = currency.toUpperCase();
  const digits = currencyDigits(code);
  const major = minor / 10 ** digits;
  const isWhole = Number.isInteger(major);
  return new Intl.NumberFormat(options.locale ?? DEFAULT_LOCALE, {
    style: "currency",
    currency: code,
    notation: options.compact ? "compact" : "standard",
    minimumFractionDigits: options.compact || (options.whole && isWhole) ? 0 : digits,
    maximumFractionDigits: options.compact ? 1 : digits,
  }).format(major);
}

/** A ratio such as ROAS or MER: formatRatio(3.4166) → "3.42×"; null (no spend) → "—". */
export function formatRatio(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return "—";
  return `${value.toFixed(2)}×`;
}

/** A fraction as a percentage: formatPercent(0.1234) → "12.3%". */
export function formatPercent(fraction: number | null | undefined, digits = 1): string {
  if (fraction === null || fraction === undefined || !Number.isFinite(fraction)) return "—";
  return `${(fraction * 100).toFixed(digits)}%`;
}

export type DeltaTone = "good" | "bad" | "neutral";

/**
 * The change from `previous` to `current`, coloured by whether it is good news: for revenue up
 * is good, for CAC down is. No previous value (or zero) has no percentage.
 */
export function formatDelta(
  current: number | null | undefined,
  previous: number | null | undefined,
  goodWhen: "up" | "down",
): { text: string; tone: DeltaTone } {
  if (current === null || current === undefined || previous === null || previous === undefined || previous === 0) {
    return { text: "—", tone: "neutral" };
  }
  const change = (current - previous) / Math.abs(previous);
  if (Math.abs(change) < 0.0005) return { text: "0.0%", tone: "neutral" };
  const up = change > 0;
  return {
    text: `${up ? "+" : "−"}${Math.abs(change * 100).toFixed(1)}%`,
    tone: up === (goodWhen === "up") ? "good" : "bad",
  };
}

/**
 * A day or a moment as a date in the account's time zone: formatDate("2026-11-27", "UTC") →
 * "Nov 27, 2026". A plain YYYY-MM-DD is already a local day and is not shifted.
 */
export function formatDate(value: string, timeZone: string, locale = DEFAULT_LOCALE): string {
  const plainDay = /^\d{4}-\d{2}-\d{2}$/.test(value);
  const date = new Date(plainDay ? `${value}T12:00:00Z` : value);
  if (Number.isNaN(date.getTime())) return value;
  return new Intl.DateTimeFormat(locale, {
    timeZone: plainDay ? "UTC" : timeZone,
    year: "numeric",
    month: "short",
    day: "numeric",
  }).format(date);
}

/** A moment with its time, in the account's time zone: "Nov 27, 2026, 9:05 AM". */
export function formatDateTime(value: string, timeZone: string, locale = DEFAULT_LOCALE): string {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  return new Intl.DateTimeFormat(locale, { timeZone, dateStyle: "medium", timeStyle: "short" }).format(date);
}
