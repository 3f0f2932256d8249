// The five campaigns with the most spend in the range, with a link to the full campaigns table.
"use client";

import Link from "next/link";
import { useId } from "react";

import { PlatformBadge } from "@/components/dashboard/platform-badge";
import { QueryError } from "@/components/ui/query-error";
import { useCampaigns, type DayRange } from "@/hooks/useMetrics";
import { formatMoney, formatRatio } from "@/lib/format";

export function TopCampaigns({ range, search }: { range: DayRange; search: string }) {
  const campaigns = useCampaigns(range, { sort: "spend", order: "desc", limit: 5 });
  const headingId = useId();
  const data = campaigns.data;
  return (
    <section aria-labelledby={headingId} className="rounded-lg border border-border bg-card p-4" data-testid="top-campaigns">
      <div className="flex items-center justify-between gap-2">
        <h2 id={headingId} className="font-semibold">
          Top campaigns by spend
        </h2>
        <Link href={`/campaigns${search ? `?${search}` : ""}`} className="text-sm font-medium text-primary hover:underline">
          All campaigns
        </Link>
      </div>
      {campaigns.isPending && (
        <ul aria-busy="true" aria-label="Loading campaigns" className="mt-4 space-y-2">
          {[0, 1, 2, 3, 4].map((i) => (
            <li key={i} className="h-8 animate-pulse rounded bg-muted" />
          ))}
        </ul>
      )}
      {campaigns.isError && (
        <QueryError className="mt-4" error={campaigns.error} onRetry={() => void campaigns.refetch()} />
      )}
      {data && data.data.length === 0 && (
        <p className="mt-4 rounded-md border border-dashed border-border p-4 text-sm text-muted-foreground">
          No campaign spend in this range. Connect Meta Ads under Integrations, or send spend through the ingest API.
        </p>
      )}
      {data && data.data.length > 0 && (
        <div className="mt-3 overflow-x-auto">
          <table className="w-full text-left text-sm tabular-nums">
            <thead className="text-muted-foreground">
              <tr>
                <th scope="col" className="py-1 pr-2 font-medium">Campaign</th>
                <th scope="col" className="py-1 pr-2 text-right font-medium">Spend</th>
                <th scope="col" className="py-1 pr-2 text-right font-medium">Share</th>
                <th scope="col" className="py-1 text-right font-medium">Platform ROAS</th>
              </tr>
            </thead>
            <tbody>
              {data.data.map((c) => (
                <tr key={`${c.platform}:${c.campaign_id}`} className="border-t border-border">
                  <th scope="row" className="max-w-64 py-2 pr-2 font-normal">
                    <span className="block truncate" title={c.name}>{c.name}</span>
                    <PlatformBadge platform={c.platform} />
                  </th>
                  <td className="py-2 pr-2 text-right">{formatMoney(c.spend, data.currency)}</td>
                  <td className="py-2 pr-2 text-right">
                    {c.share_of_spend === null ? "—" : `${(c.share_of_spend * 100).toFixed(1)}%`}
                  </td>
                  <td className="py-2 text-right">{formatRatio(c.platform_roas)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
