// Spend and revenue per ad platform (GET /metrics/channels): bars to compare, a table to read.
"use client";

import { useId } from "react";
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

import { QueryError } from "@/components/ui/query-error";
import { useChannels, type DayRange } from "@/hooks/useMetrics";
import { formatMoney, formatRatio } from "@/lib/format";
import { platformLabel } from "@/lib/platforms";

export function ChannelBreakdown({ range }: { range: DayRange }) {
  const channels = useChannels(range);
  const headingId = useId();
  const data = channels.data;
  const rows = (data?.data ?? []).map((r) => ({
    key: r.channel,
    label: platformLabel(r.channel),
    spend: r.spend ?? 0,
    revenue: r.revenue ?? 0,
    roas: r.roas,
    orders: r.orders ?? 0,
  }));
  const currency = data?.currency ?? "USD";
  const empty = data !== undefined && rows.every((r) => r.spend === 0 && r.revenue === 0);

  return (
    <section aria-labelledby={headingId} className="rounded-lg border border-border bg-card p-4" data-testid="channel-breakdown">
      <h2 id={headingId} className="font-semibold">
        Spend and revenue by platform
      </h2>
      <p className="text-xs text-muted-foreground">Orders count toward a platform by their UTM source.</p>
      {channels.isPending && <div aria-busy="true" aria-label="Loading platforms" className="mt-4 h-56 animate-pulse rounded-md bg-muted" />}
      {channels.isError && (
        <QueryError className="mt-4" error={channels.error} onRetry={() => void channels.refetch()} />
      )}
      {data && empty && (
        <p className="mt-4 rounded-md border border-dashed border-border p-4 text-sm text-muted-foreground">
          No platform data in this range. Connect Meta Ads under Integrations to see spend per platform.
        </p>
      )}
      {data && !empty && (
        <>
          <figure
            className="mt-4 h-56"
            role="img"
            aria-label={rows
              .map((r) => `${r.label}: spend ${formatMoney(r.spend, currency)}, revenue ${formatMoney(r.revenue, currency)}`)
              .join("; ")}
          >
            <ResponsiveContainer width="100%" height="100%">
              <BarChart data={rows} margin={{ top: 8, right: 8, bottom: 0, left: 8 }}>
                <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" vertical={false} />
                <XAxis dataKey="label" interval={0} tick={{ fontSize: 11, fill: "var(--muted-foreground)" }} />
                <YAxis
                  tickFormatter={(v: number) => formatMoney(v, currency, { compact: true })}
                  tick={{ fontSize: 12, fill: "var(--muted-foreground)" }}
                  width={64}
                />
                <Tooltip
                  formatter={(value, name) => [formatMoney(Math.round(Number(value)), currency), name]}
                  contentStyle={{ background: "var(--card)", border: "1px solid var(--border)", borderRadius: 8 }}
                />
                <Legend />
                <Bar dataKey="spend" name="Ad spend" fill="var(--chart-2)" radius={[4, 4, 0, 0]} isAnimationActive={false} />
                <Bar dataKey="revenue" name="Revenue" fill="var(--chart-1)" radius={[4, 4, 0, 0]} isAnimationActive={false} />
              </BarChart>
            </ResponsiveContainer>
          </figure>
          <table className="mt-3 w-full text-left text-sm tabular-nums">
            <thead className="text-muted-foreground">
              <tr>
                <th scope="col" className="py-1 pr-2 font-medium">Platform</th>
                <th scope="col" className="py-1 pr-2 text-right font-medium">Spend</th>
                <th scope="col" className="py-1 pr-2 text-right font-medium">Revenue</th>
                <th scope="col" className="py-1 text-right font-medium">ROAS</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.key} className="border-t border-border" data-testid={`channel-${r.key}`}>
                  <th scope="row" className="py-1 pr-2 font-normal">{r.label}</th>
                  <td className="py-1 pr-2 text-right">{formatMoney(Math.round(r.spend), currency)}</td>
                  <td className="py-1 pr-2 text-right">{formatMoney(Math.round(r.revenue), currency)}</td>
                  <td className="py-1 text-right">{formatRatio(r.roas)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
