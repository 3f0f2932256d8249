// Revenue against ad spend over the range, by day or week (GET /metrics/timeseries), with the same
// figures as a table for screen readers and anyone who wants the numbers.
"use client";

import { useId, useState } from "react";
import { Area, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

import { QueryError } from "@/components/ui/query-error";
import { SegmentedControl } from "@/components/ui/segmented-control";
import { useTimeseries, type DayRange } from "@/hooks/useMetrics";
import { formatDate, formatMoney } from "@/lib/format";

type Interval = "day" | "week";
const SERIES = ["revenue", "spend"] as const;
const BUCKETS = [
  { value: "day", label: "Daily" },
  { value: "week", label: "Weekly" },
] as const;

export function RevenueSpendChart({ range }: { range: DayRange }) {
  const [interval, setBucket] = useState<Interval>("day");
  const series = useTimeseries(range, interval, SERIES);
  const headingId = useId();
  const ts = series.data;
  const points = (ts?.series.find((s) => s.key === "all") ?? ts?.series[0])?.points ?? [];
  const rows = points.map((p) => ({ start: p.start, revenue: p.revenue ?? 0, spend: p.spend ?? 0 }));
  const currency = ts?.currency ?? "USD";
  const money = (v: number) => formatMoney(Math.round(v), currency, { compact: true });
  const totals = rows.reduce((t, r) => ({ revenue: t.revenue + r.revenue, spend: t.spend + r.spend }), {
    revenue: 0,
    spend: 0,
  });
  const empty = ts !== undefined && totals.revenue === 0 && totals.spend === 0;

  return (
    <section aria-labelledby={headingId} className="rounded-lg border border-border bg-card p-4" data-testid="revenue-spend-chart">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h2 id={headingId} className="font-semibold">
          Revenue vs. ad spend
        </h2>
        <SegmentedControl label="Chart interval" options={BUCKETS} value={interval} onChange={setBucket} size="sm" />
      </div>
      {series.isPending && <div aria-busy="true" aria-label="Loading chart" className="mt-4 h-72 animate-pulse rounded-md bg-muted" />}
      {series.isError && (
        <QueryError className="mt-4" error={series.error} onRetry={() => void series.refetch()} />
      )}
      {ts && empty && (
        <p className="mt-4 flex h-40 items-center justify-center rounded-md border border-dashed border-border p-4 text-center text-sm text-muted-foreground">
          No revenue or spend in this range. Connect Shopify and an ad account under Integrations to fill this chart.
        </p>
      )}
      {ts && !empty && (
        <>
          <figure
            className="mt-4 h-72"
            role="img"
            aria-label={`Revenue ${formatMoney(totals.revenue, currency)} and ad spend ${formatMoney(totals.spend, currency)} from ${ts.from} to ${ts.to}, by ${interval}.`}
          >
            <ResponsiveContainer width="100%" height="100%">
              <ComposedChart data={rows} margin={{ top: 8, right: 8, bottom: 0, left: 8 }}>
                <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" vertical={false} />
                <XAxis
                  dataKey="start"
                  tickFormatter={(d: string) => formatDate(d, ts.timezone).replace(/, \d{4}$/, "")}
                  tick={{ fontSize: 12, fill: "var(--muted-foreground)" }}
                  minTickGap={24}
                />
                <YAxis
                  tickFormatter={money}
                  tick={{ fontSize: 12, fill: "var(--muted-foreground)" }}
                  width={64}
                />
                <Tooltip
                  formatter={(value, name) => [formatMoney(Math.round(Number(value)), currency), name]}
                  labelFormatter={(label) => (interval === "week" ? "Week of " : "") + formatDate(String(label), ts.timezone)}
                  contentStyle={{ background: "var(--card)", border: "1px solid var(--border)", borderRadius: 8 }}
                />
                <Legend />
                <Area
                  type="monotone"
                  dataKey="revenue"
                  name="Revenue"
                  stroke="var(--chart-1)"
                  fill="var(--chart-1)"
                  fillOpacity={0.15}
                  strokeWidth={2}
                  isAnimationActive={false}
                />
                <Line
                  type="monotone"
                  dataKey="spend"
                  name="Ad spend"
                  stroke="var(--chart-2)"
                  strokeWidth={2}
                  dot={false}
                  isAnimationActive={false}
                />
              </ComposedChart>
            </ResponsiveContainer>
          </figure>
          <details className="mt-2 text-sm">
            <summary className="cursor-pointer text-muted-foreground">Show as a table</summary>
            <div className="mt-2 max-h-64 overflow-auto">
              <table className="w-full text-left tabular-nums">
                <thead className="text-muted-foreground">
                  <tr>
                    <th scope="col" className="py-1 pr-4 font-medium">
                      {interval === "week" ? "Week of" : "Day"}
                    </th>
                    <th scope="col" className="py-1 pr-4 text-right font-medium">
                      Revenue
                    </th>
                    <th scope="col" className="py-1 text-right font-medium">
                      Ad spend
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((r) => (
                    <tr key={r.start} className="border-t border-border">
                      <td className="py-1 pr-4">{formatDate(r.start, ts.timezone)}</td>
                      <td className="py-1 pr-4 text-right">{formatMoney(Math.round(r.revenue), currency)}</td>
                      <td className="py-1 text-right">{formatMoney(Math.round(r.spend), currency)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </details>
        </>
      )}
    </section>
  );
}
