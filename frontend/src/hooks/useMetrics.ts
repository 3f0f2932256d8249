// Metrics for the overview: GET /metrics/summary for a range, compared with the period before.
"use client";

import { useQuery } from "@tanstack/react-query";

import { ApiError, apiGet } from "@/lib/api-client";
import type { components } from "@/lib/api-types";

export type Summary = components["schemas"]["Summary"];

export function useSummary(range: { from?: string; to?: string } = {}) {
  const params = new URLSearchParams({ compare: "previous_period" });
  if (range.from) params.set("from", range.from);
  if (range.to) params.set("to", range.to);
  return useQuery<Summary, ApiError>({
    queryKey: ["metrics", "summary", params.toString()],
    queryFn: async ({ signal }) => (await apiGet<{ data: Summary }>(`/metrics/summary?${params}`, { signal })).data,
  });
}
