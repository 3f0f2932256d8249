// Monthly / Yearly: one pressed button of two, for prices.
"use client";

import { cn } from "@/lib/cn";

export type BillingInterval = "month" | "year";

export function IntervalToggle({
  value,
  onChange,
}: {
  value: BillingInterval;
  onChange: (value: BillingInterval) => void;
}) {
  return (
    <div role="group" aria-label="Billing interval" className="inline-flex rounded-md border border-border p-1">
      {(["month", "year"] as const).map((option) => (
        <button
          key={option}
          type="button"
          aria-pressed={value === option}
          onClick={() => onChange(option)}
          className={cn(
            "h-9 rounded px-3 text-sm font-medium focus-visible:outline-2 focus-visible:outline-ring",
            value === option ? "bg-primary text-primary-foreground" : "text-foreground hover:bg-muted",
          )}
        >
          {option === "month" ? "Monthly" : "Yearly"}
        </button>
      ))}
    </div>
  );
}
