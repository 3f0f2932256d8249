// Monthly / Yearly: one pressed button of two, for prices.
"use client";

import { SegmentedControl } from "@/components/ui/segmented-control";

export type BillingInterval = "month" | "year";

const OPTIONS = [
  { value: "month", label: "Monthly" },
  { value: "year", label: "Yearly" },
] as const;

export function IntervalToggle({
  value,
  onChange,
}: {
  value: BillingInterval;
  onChange: (value: BillingInterval) => void;
}) {
  return <SegmentedControl label="Billing interval" options={OPTIONS} value={value} onChange={onChange} />;
}
