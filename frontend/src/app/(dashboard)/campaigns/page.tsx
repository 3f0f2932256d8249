// /campaigns: every campaign's spend and platform-reported results in the range, sortable,
// filterable by platform and name, page by page, with totals and a CSV download of the filter.
"use client";

import { Suspense, useCallback, useState } from "react";

import { DateRangePicker } from "@/components/dashboard/date-range-picker";
import { FxNotice } from "@/components/dashboard/fx-notice";
import { MetricInfo } from "@/components/dashboard/metric-info";
import { PageHeader } from "@/components/dashboard/page-header";
import { PlatformBadge } from "@/components/dashboard/platform-badge";
import { Pager } from "@/components/tables/pager";
import { SearchInput } from "@/components/tables/search-input";
import { SortHeader } from "@/components/tables/sort-header";
import { Button } from "@/components/ui/button";
import { EmptyState, SkeletonRows } from "@/components/ui/placeholders";
import { QueryError } from "@/components/ui/query-error";
import { useCursorPages } from "@/hooks/useCursorPages";
import { useDateRange } from "@/hooks/useDateRange";
import {
  fetchAllCampaigns,
  useCampaigns,
  type Campaign,
  type CampaignQuery,
  type CampaignSort,
  type CampaignTotals,
  type Platform,
} from "@/hooks/useMetrics";
import { useSearchState } from "@/hooks/useSearchState";
import { ApiError } from "@/lib/api-client";
import { campaignsCsv } from "@/lib/exports";
import { downloadText } from "@/lib/csv";
import { formatMoney, formatPercent, formatRatio } from "@/lib/format";
import { platformLabel } from "@/lib/platforms";

const PAGE_SIZE = 50;
const PLATFORMS: Platform[] = ["facebook_ads", "google_ads", "tiktok_ads"];
const SORTS: CampaignSort[] = ["spend", "impressions", "clicks", "ctr", "cpc", "cpm", "conversions", "conversion_value", "platform_roas", "name"];

type Column = { key: CampaignSort; label: string; metric?: string; show: (row: Campaign | CampaignTotals, currency: string) => string };

const count = (n: number) => new Intl.NumberFormat("en-US", { maximumFractionDigits: 1 }).format(n);
const money = (v: number | null, currency: string) => (v === null ? "—" : formatMoney(v, currency));

const COLUMNS: Column[] = [
  { key: "spend", label: "Spend", metric: "spend", show: (r, c) => money(r.spend, c) },
  { key: "impressions", label: "Impr.", metric: "impressions", show: (r) => count(r.impressions) },
  { key: "clicks", label: "Clicks", metric: "clicks", show: (r) => count(r.clicks) },
  { key: "ctr", label: "CTR", metric: "ctr", show: (r) => formatPercent(r.ctr, 2) },
  { key: "cpc", label: "CPC", metric: "cpc", show: (r, c) => money(r.cpc, c) },
  { key: "cpm", label: "CPM", metric: "cpm", show: (r, c) => money(r.cpm, c) },
  { key: "conversions", label: "Conv.", metric: "conversions", show: (r) => count(r.conversions) },
  { key: "conversion_value", label: "Conv. value", metric: "conversion_value", show: (r, c) => money(r.conversion_value, c) },
  { key: "platform_roas", label: "Platform ROAS", metric: "platform_roas", show: (r) => formatRatio(r.platform_roas) },
];

function Campaigns() {
  const { range } = useDateRange();
  const { params, update } = useSearchState();
  const sortParam = params.get("sort");
  const sort: CampaignSort = SORTS.includes(sortParam as CampaignSort) ? (sortParam as CampaignSort) : "spend";
  const order = params.get("order") === "asc" || (params.get("order") === null && sort === "name") ? "asc" : "desc";
  const platformParam = params.get("platform");
  const platform = PLATFORMS.includes(platformParam as Platform) ? (platformParam as Platform) : null;
  const q = params.get("q") ?? "";
  const filter: CampaignQuery = { platform, sort, order, q, limit: PAGE_SIZE };
  const pages = useCursorPages(JSON.stringify([range.from, range.to, platform, sort, order, q]));
  const campaigns = useCampaigns(range, { ...filter, cursor: pages.cursor });
  const [exporting, setExporting] = useState<{ busy: boolean; error: string | null }>({ busy: false, error: null });

  const onSort = (column: CampaignSort) => {
    const nextOrder = column === sort ? (order === "asc" ? "desc" : "asc") : column === "name" ? "asc" : "desc";
    update({ sort: column === "spend" ? null : column, order: nextOrder });
  };
  const onSearch = useCallback((text: string) => update({ q: text.trim() || null }), [update]);

  async function downloadCsv() {
    setExporting({ busy: true, error: null });
    try {
      const all = await fetchAllCampaigns(range, filter);
      downloadText(`campaigns-${range.from}-to-${range.to}.csv`, campaignsCsv(all.data, all.currency));
      setExporting({ busy: false, error: null });
    } catch (error) {
      setExporting({ busy: false, error: error instanceof ApiError ? error.message : "The download failed; try again." });
    }
  }

  const data = campaigns.data;
  return (
    <section aria-labelledby="campaigns-heading">
      <PageHeader id="campaigns-heading" title="Campaigns">
        <DateRangePicker compare={false} />
      </PageHeader>
      <div className="mt-4 flex flex-wrap items-end gap-3">
        <SearchInput label="Search campaigns" placeholder="Name or campaign id" value={q} onSearch={onSearch} />
        <div className="text-sm">
          <label htmlFor="campaign-platform" className="block text-muted-foreground">
            Platform
          </label>
          <select
            id="campaign-platform"
            value={platform ?? ""}
            onChange={(e) => update({ platform: e.target.value || null })}
            className="h-10 rounded-md border border-border bg-background px-2 text-sm"
          >
            <option value="">All platforms</option>
            {PLATFORMS.map((p) => (
              <option key={p} value={p}>
                {platformLabel(p)}
              </option>
            ))}
          </select>
        </div>
        <Button variant="secondary" size="sm" className="ml-auto" onClick={() => void downloadCsv()} disabled={exporting.busy || !data?.data.length}>
          {exporting.busy ? "Preparing CSV…" : "Download CSV"}
        </Button>
      </div>
      {exporting.error && (
        <p role="alert" className="mt-2 text-sm text-destructive">
          {exporting.error}
        </p>
      )}
      {campaigns.isPending && <SkeletonRows label="Loading campaigns" rows={8} />}
      {campaigns.isError && <QueryError className="mt-4" error={campaigns.error} onRetry={() => void campaigns.refetch()} />}
      {data && data.data.length === 0 && (
        <EmptyState>
          {q || platform
            ? "No campaign matches this search in the range. Clear the search or pick another platform."
            : "No campaign spend in this range. Connect Meta Ads under Integrations, or send spend through the ingest API."}
        </EmptyState>
      )}
      {data && data.data.length > 0 && (
        <>
          <FxNotice missing={data.missing_fx_rates} />
          <div className="mt-4 overflow-x-auto rounded-lg border border-border bg-card" aria-busy={campaigns.isFetching}>
            <table className="w-full text-sm tabular-nums" data-testid="campaigns-table">
              <caption className="sr-only">
                Campaigns from {data.from} to {data.to}, sorted by {sort} {order === "asc" ? "ascending" : "descending"}
              </caption>
              <thead className="bg-muted text-muted-foreground">
                <tr>
                  <SortHeader column="name" label="Campaign" sort={sort} order={order} onSort={onSort} align="left" />
                  {COLUMNS.map((c) => (
                    <SortHeader
                      key={c.key}
                      column={c.key}
                      label={c.label}
                      sort={sort}
                      order={order}
                      onSort={onSort}
                      info={c.metric && <MetricInfo name={c.metric} />}
                    />
                  ))}
                </tr>
              </thead>
              <tbody>
                {data.data.map((row) => (
                  <tr key={`${row.platform}:${row.ad_account_id}:${row.campaign_id}`} className="border-t border-border" data-testid="campaign-row">
                    <th scope="row" className="max-w-72 px-3 py-2 text-left font-normal">
                      <span className="block truncate" title={row.name}>
                        {row.name}
                      </span>
                      <PlatformBadge platform={row.platform} />
                    </th>
                    {COLUMNS.map((c) => (
                      <td key={c.key} className="px-3 py-2 text-right whitespace-nowrap" data-column={c.key}>
                        {c.show(row, data.currency)}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
              <tfoot className="border-t-2 border-border bg-muted font-medium">
                <tr data-testid="campaigns-totals">
                  <th scope="row" className="px-3 py-2 text-left">
                    Total · {count(data.totals.campaigns)} campaigns
                  </th>
                  {COLUMNS.map((c) => (
                    <td key={c.key} className="px-3 py-2 text-right whitespace-nowrap">
                      {c.show(data.totals, data.currency)}
                    </td>
                  ))}
                </tr>
              </tfoot>
            </table>
          </div>
          <p className="mt-2 text-xs text-muted-foreground">
            Totals cover every campaign of the filter, not only this page. Conversions are as the platforms report them.
          </p>
          <Pager
            page={pages.page}
            hasNext={data.next_cursor !== null}
            busy={campaigns.isFetching}
            onPrevious={pages.previous}
            onNext={() => data.next_cursor && pages.next(data.next_cursor)}
          />
        </>
      )}
    </section>
  );
}

export default function CampaignsPage() {
  return (
    <Suspense>
      <Campaigns />
    </Suspense>
  );
}

