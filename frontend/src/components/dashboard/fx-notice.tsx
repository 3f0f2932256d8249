// Amounts the server could not convert to the reporting currency (no exchange rate near their day)
// are left out of the figures; this says so instead of letting totals look complete.
import type { MissingFxRate } from "@/hooks/useMetrics";

export function FxNotice({ missing }: { missing: readonly MissingFxRate[] }) {
  if (missing.length === 0) return null;
  const pairs = [...new Set(missing.map((m) => `${m.from} → ${m.to}`))];
  const days = missing.map((m) => m.date).sort();
  const span = days[0] === days[days.length - 1] ? `on ${days[0]}` : `between ${days[0]} and ${days[days.length - 1]}`;
  return (
    <p
      role="status"
      data-testid="fx-notice"
      className="mt-4 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-950 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-100"
    >
      Some amounts {span} are left out of these figures: there is no exchange rate for {pairs.join(", ")} on{" "}
      {missing.length === 1 ? "that day" : `${missing.length} days`}. They count as soon as the rates are loaded.
    </p>
  );
}
