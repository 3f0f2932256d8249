// One pressed button of a few (monthly/yearly, daily/weekly): a labelled group of toggle buttons.
"use client";

import { cn } from "@/lib/cn";

export function SegmentedControl<Value extends string>({
  label,
  options,
  value,
  onChange,
  size = "md",
}: {
  label: string;
  options: readonly { value: Value; label: string }[];
  value: Value;
  onChange: (value: Value) => void;
  size?: "sm" | "md";
}) {
  return (
    <div role="group" aria-label={label} className="inline-flex rounded-md border border-border p-1">
      {options.map((option) => (
        <button
          key={option.value}
          type="button"
          aria-pressed={value === option.value}
          onClick={() => onChange(option.value)}
          className={cn(
            "rounded px-3 text-sm font-medium focus-visible:outline-2 focus-visible:outline-ring",
            size === "sm" ? "h-8" : "h-9",
            value === option.value ? "bg-primary text-primary-foreground" : "text-foreground hover:bg-muted",
          )}
        >
          {option.label}
        </button>
      ))}
    </div>
  );
}
