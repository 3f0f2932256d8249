// Metrics for the dashboard pages: summary, time series, channels, campaigns and the definitions
// behind every figure. Each query's key is its URL, so the same view is fetched once and shared.
"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";

import { ApiError, apiGet } from "@/lib/api-client";
import type { components, operations } from "@/lib/api-types";

export type Summary = components["schemas"]["Summary"];
export type Timeseries = components["schemas"]["Timeseries"];
export type ChannelRow = components["schemas"]["ChannelRow"];
export type ChannelTotals = components["schemas"]["ChannelTotals"];
export type Campaign = components["schemas"]["Campaign"];
export type CampaignTotals = components["schemas"]["CampaignTotals"];
export type MetricDefinition = components["schemas"]["MetricDefinition"];
export type MissingFxRate = components["schemas"]["MissingFxRate"];

type Ok<Op extends keyof operations> = operations[Op] extends {
  responses: { 200: { content: { "application/json": infer Body } } };
}
  ? Body
  : never;
type QueryOf<Op extends keyof operations> = NonNullable<operations[Op]["parameters"]["query"]>;

export type Channels = Ok<"getMetricsChannels">;
export type CampaignPage = Ok<"getMetricsCampaigns">;
export type DayRange = { from: string; to: string };
export type Platform = NonNullable<QueryOf<"getMetricsCampaigns">["platform"]>;
export type CampaignSort = NonNullable<QueryOf<"getMetricsCampaigns">["sort"]>;
export type SortOrder = NonNullable<QueryOf<"getMetricsCampaigns">["order"]>;

export type CampaignQuery = {
  platform?: Platform | null;
  sort?: CampaignSort;
  order?: SortOrder;
  q?: string;
  limit?: number;
  cursor?: string | null;
};

/** Query string of a range plus the set (non-empty) parameters, in a stable order. */
export function metricsParams(range: DayRange, extra: Record<string, string | number | null | undefined> = {}) {
  const params = new URLSearchParams({ from: range.from, to: range.to });
  for (const [key, value] of Object.entries(extra)) {
    if (value !== null && value !== undefined && value !== "") params.set(key, String(value));
  }
  return params;
}

export function useSummary(range: DayRange, compare: boolean) {
  const params = metricsParams(range, { compare: compare ? "previous_period" : null });
  return useQuery<Summary, ApiError>({
    queryKey: ["metrics", "summary", params.toString()],
    queryFn: async ({ signal }) => (await apiGet<{ data: Summary }>(`/metrics/summary?${params}`, { signal })).data,
    placeholderData: keepPreviousData,
  });
}

export function useTimeseries(range: DayRange, interval: "day" | "week" | "month", metrics: readonly string[]) {
  const params = metricsParams(range, { interval, metrics: metrics.join(",") });
  return useQuery<Timeseries, ApiError>({
    queryKey: ["metrics", "timeseries", params.toString()],
    queryFn: async ({ signal }) =>
      (await apiGet<{ data: Timeseries }>(`/metrics/timeseries?${params}`, { signal })).data,
    placeholderData: keepPreviousData,
  });
}

export function useChannels(range: DayRange) {
  const params = metricsParams(range);
  return useQuery<Channels, ApiError>({
    queryKey: ["metrics", "channels", params.toString()],
    queryFn: ({ signal }) => apiGet<Channels>(`/metrics/channels?${params}`, { signal }),
    placeholderData: keepPreviousData,
  });
}

export function campaignParams(range: DayRange, query: CampaignQuery) {
  return metricsParams(range, {
    platform: query.platform,
    sort: query.sort,
    order: query.order,
    q: query.q?.trim(),
    limit: query.limit,
    cursor: query.cursor,
  });
}

export function useCampaigns(range: DayRange, query: CampaignQuery) {
  const params = campaignParams(range, query);
  return useQuery<CampaignPage, ApiError>({
    queryKey: ["metrics", "campaigns", params.toString()],
    queryFn: ({ signal }) => apiGet<CampaignPage>(`/metrics/campaigns?${params}`, { signal }),
    placeholderData: keepPreviousData,
  });
}

/** Every campaign of a filter, page after page (for the CSV download). */
export async function fetchAllCampaigns(range: DayRange, query: CampaignQuery): Promise<CampaignPage> {
  let cursor: string | null = null;
  let first: CampaignPage | null = null;
  const rows: Campaign[] = [];
  do {
    const params = campaignParams(range, { ...query, limit: 200, cursor });
    const page: CampaignPage = await apiGet<CampaignPage>(`/metrics/campaigns?${params}`);
    first ??= page;
    rows.push(...page.data);
    cursor = page.next_cursor;
  } while (cursor);
  return { ...(first as CampaignPage), data: rows, next_cursor: null };
}

/** What each metric means and how it is computed; it changes only with a deploy. */
export function useMetricDefinitions() {
  return useQuery<Map<string, MetricDefinition>, ApiError>({
    queryKey: ["metrics", "definitions"],
    queryFn: async ({ signal }) => {
      const { data } = await apiGet<{ data: MetricDefinition[] }>("/metrics/definitions", { signal });
      return new Map(data.map((d) => [d.name, d]));
    },
    staleTime: Infinity,
    gcTime: Infinity,
  });
}
