// Presets (today ... month to date), a custom range, and "compare to previous period"; all in the URL.
"use client";

import { useState, type FormEvent } from "react";

import { Button } from "@/components/ui/button";
import { useDateRange } from "@/hooks/useDateRange";
import { isDay, PRESETS, presetRange, type Preset } from "@/lib/date-range";

/** `compare: false` hides the comparison switch on pages that show no previous-period figures. */
export function DateRangePicker({ compare: showCompare = true }: { compare?: boolean } = {}) {
  const { range, compare, timeZone, setRange, setCompare } = useDateRange();
  const [custom, setCustom] = useState<{ from: string; to: string } | null>(null);
  const editing = custom ?? (range.preset === "custom" ? { from: range.from, to: range.to } : null);
  const invalid = editing !== null && (!isDay(editing.from) || !isDay(editing.to) || editing.from > editing.to);

  function choose(value: string) {
    if (value === "custom") {
      setCustom({ from: range.from, to: range.to });
      return;
    }
    setCustom(null);
    setRange(presetRange(value as Preset, timeZone));
  }

  function apply(event: FormEvent) {
    event.preventDefault();
    if (!editing || invalid) return;
    setRange({ preset: "custom", from: editing.from, to: editing.to });
    setCustom(null);
  }

  return (
    <form onSubmit={apply} className="flex flex-wrap items-end gap-3" aria-label="Date range">
      <div className="text-sm">
        <label htmlFor="range-preset" className="block text-muted-foreground">
          Range
        </label>
        <select
          id="range-preset"
          className="h-10 rounded-md border border-border bg-background px-2 text-sm focus-visible:outline-2 focus-visible:outline-ring"
          value={editing ? "custom" : range.preset}
          onChange={(e) => choose(e.target.value)}
        >
          {PRESETS.map((p) => (
            <option key={p.id} value={p.id}>
              {p.label}
            </option>
          ))}
          <option value="custom">Custom…</option>
        </select>
      </div>
      {editing && (
        <>
          <label className="text-sm">
            <span className="block text-muted-foreground">From</span>
            <input
              type="date"
              className="h-10 rounded-md border border-border bg-background px-2 text-sm"
              value={editing.from}
              onChange={(e) => setCustom({ ...editing, from: e.target.value })}
            />
          </label>
          <label className="text-sm">
            <span className="block text-muted-foreground">To</span>
            <input
              type="date"
              className="h-10 rounded-md border border-border bg-background px-2 text-sm"
              value={editing.to}
              onChange={(e) => setCustom({ ...editing, to: e.target.value })}
            />
          </label>
          <Button type="submit" size="sm" disabled={invalid}>
            Apply
          </Button>
          {invalid && (
            <p className="basis-full text-sm text-red-700" role="alert">
              Choose a start date on or before the end date.
            </p>
          )}
        </>
      )}
      {showCompare && (
        <label className="flex h-10 items-center gap-2 text-sm">
          <input type="checkbox" checked={compare} onChange={(e) => setCompare(e.target.checked)} className="size-4" />
          Compare to previous period
        </label>
      )}
    </form>
  );
}
