// /dashboard: the KPIs of the range in the URL (the last 30 days by default), against the period
// before, in the account's currency.
"use client";

import dynamic from "next/dynamic";
import Link from "next/link";
import { useSearchParams } from "next/navigation";
import { Suspense } from "react";

import { DateRangePicker } from "@/components/dashboard/date-range-picker";
import { FxNotice } from "@/components/dashboard/fx-notice";
import { MetricInfo } from "@/components/dashboard/metric-info";
import { PageHeader } from "@/components/dashboard/page-header";
import { TopCampaigns } from "@/components/dashboard/top-campaigns";
import { EmptyState } from "@/components/ui/placeholders";
import { QueryError } from "@/components/ui/query-error";
import { useDateRange } from "@/hooks/useDateRange";
import { useSummary, type Summary } from "@/hooks/useMetrics";
import { cn } from "@/lib/cn";
import { formatDelta, formatMoney, formatRatio, type DeltaTone } from "@/lib/format";

// The charts bring Recharts (the larger part of this page's script): loaded after the KPI cards.
const chartPlaceholder = () => <div aria-busy="true" aria-label="Loading chart" className="h-80 animate-pulse rounded-lg bg-muted" />;
const RevenueSpendChart = dynamic(
  () => import("@/components/dashboard/revenue-spend-chart").then((m) => m.RevenueSpendChart),
  { ssr: false, loading: chartPlaceholder },
);
const ChannelBreakdown = dynamic(
  () => import("@/components/dashboard/channel-breakdown").then((m) => m.ChannelBreakdown),
  { ssr: false, loading: chartPlaceholder },
);

type MetricName = keyof Summary["metrics"];
type Kpi = { name: MetricName; label: string; kind: "money" | "count" | "ratio"; goodWhen: "up" | "down" | null };

// Spend going up is neither good nor bad news on its own: its delta stays neutral.
const KPIS: Kpi[] = [
  { name: "revenue", label: "Revenue", kind: "money", goodWhen: "up" },
  { name: "spend", label: "Ad spend", kind: "money", goodWhen: null },
  { name: "roas", label: "ROAS", kind: "ratio", goodWhen: "up" },
  { name: "mer", label: "MER", kind: "ratio", goodWhen: "up" },
  { name: "orders", label: "Orders", kind: "count", goodWhen: "up" },
  { name: "aov", label: "AOV", kind: "money", goodWhen: "up" },
  { name: "new_customers", label: "New customers", kind: "count", goodWhen: "up" },
  { name: "ncac", label: "nCAC", kind: "money", goodWhen: "down" },
];

const TONES: Record<DeltaTone, string> = {
  good: "text-emerald-700",
  bad: "text-red-700",
  neutral: "text-muted-foreground",
};

function display(kpi: Kpi, value: number | null | undefined, currency: string): string {
  if (value === null || value === undefined) return "—";
  if (kpi.kind === "money") return formatMoney(Math.round(value), currency);
  if (kpi.kind === "ratio") return formatRatio(value);
  return new Intl.NumberFormat("en-US").format(value);
}

function Overview() {
  const { range, compare } = useDateRange();
  const summary = useSummary(range, compare);
  const search = useSearchParams().toString();
  return (
    <section aria-labelledby="overview-heading">
      <PageHeader id="overview-heading" title="Overview">
        <DateRangePicker />
      </PageHeader>
      {summary.data && (
        <p className="mt-2 text-sm text-muted-foreground" data-testid="period">
          {summary.data.from} to {summary.data.to} ({summary.data.timezone})
          {summary.data.compare && `, compared with ${summary.data.compare.from} to ${summary.data.compare.to}`}
        </p>
      )}
      {summary.isPending && (
        <ul aria-busy="true" aria-label="Loading figures" className="mt-6 grid grid-cols-2 gap-4 lg:grid-cols-4">
          {KPIS.map((k) => (
            <li key={k.name} className="h-24 animate-pulse rounded-lg border border-border bg-muted" />
          ))}
        </ul>
      )}
      {summary.isError && (
        <QueryError className="mt-6" error={summary.error} onRetry={() => void summary.refetch()} />
      )}
      {summary.data && (
        <>
          <FxNotice missing={summary.data.missing_fx_rates} />
          <dl className="mt-6 grid grid-cols-2 gap-4 lg:grid-cols-4">
            {KPIS.map((kpi) => {
              const m = summary.data.metrics[kpi.name];
              const delta = !compare
                ? null
                : kpi.goodWhen
                ? formatDelta(m.value, m.previous, kpi.goodWhen)
                : { ...formatDelta(m.value, m.previous, "up"), tone: "neutral" as const };
              return (
                <div key={kpi.name} className="rounded-lg border border-border bg-card p-4" data-testid={`kpi-${kpi.name}`}>
                  <dt className="flex items-center gap-1 text-sm text-muted-foreground">
                    {kpi.label}
                    <MetricInfo name={kpi.name} />
                  </dt>
                  <dd className="mt-1 text-2xl font-semibold tabular-nums">
                    {display(kpi, m.value, summary.data.currency)}
                  </dd>
                  {delta && (
                    <dd className={cn("mt-1 text-sm tabular-nums", TONES[delta.tone])}>
                      <span className="sr-only">Change against the previous period: </span>
                      {delta.text}
                    </dd>
                  )}
                </div>
              );
            })}
          </dl>
          {summary.data.metrics.orders.value === 0 && summary.data.metrics.spend.value === 0 && (
            <EmptyState className="mt-6">
              No orders or ad spend in this period yet.{" "}
              <Link href="/integrations" className="font-medium text-primary hover:underline">
                Connect Shopify and Meta Ads
              </Link>
              , or send rows through the ingest API, and the figures appear here.
            </EmptyState>
          )}
        </>
      )}
      <div className="mt-6 grid gap-4 xl:grid-cols-5">
        <div className="xl:col-span-3">
          <RevenueSpendChart range={range} />
        </div>
        <div className="xl:col-span-2">
          <ChannelBreakdown range={range} />
        </div>
      </div>
      <div className="mt-4">
        <TopCampaigns range={range} search={search} />
      </div>
    </section>
  );
}

export default function OverviewPage() {
  return (
    <Suspense>
      <Overview />
    </Suspense>
  );
}
