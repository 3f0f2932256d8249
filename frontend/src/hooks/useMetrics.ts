// Metrics for the overview: GET /metrics/summary for a range, optionally compared with the period before.
"use client";

import { useQuery } from "@tanstack/react-query";

import { ApiError, apiGet } from "@/lib/api-client";
import type { components } from "@/lib/api-types";

export type Summary = components["schemas"]["Summary"];

export function useSummary(range: { from: string; to: string }, compare: boolean) {
  const params = new URLSearchParams({ from: range.from, to: range.to });
  if (compare) params.set("compare", "previous_period");
  return useQuery<Summary, ApiError>({
    queryKey: ["metrics", "summary", params.toString()],
    queryFn: async ({ signal }) => (await apiGet<{ data: Summary }>(`/metrics/summary?${params}`, { signal })).data,
  });
}
