// useSummary against a stubbed API: the query it sends and the typed error it surfaces.
import { renderHook, waitFor } from "@testing-library/react";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { describe, expect, it } from "vitest";

import { stubApi } from "@/test/api-stub";

import { useSummary } from "./useMetrics";

function wrapper({ children }: { children: ReactNode }) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return <QueryClientProvider client={client}>{children}</QueryClientProvider>;
}

describe("useSummary", () => {
  it("asks for the range and the previous period, and returns the data member", async () => {
    const api = stubApi({ "GET /metrics/summary": { body: { data: { from: "2026-11-01", to: "2026-11-07" } } } });
    const { result } = renderHook(() => useSummary({ from: "2026-11-01", to: "2026-11-07" }, true), { wrapper });
    await waitFor(() => expect(result.current.isSuccess).toBe(true));
    expect(result.current.data).toMatchObject({ from: "2026-11-01", to: "2026-11-07" });
    const [call] = api.callsTo("GET", "/metrics/summary");
    expect(call?.query.get("from")).toBe("2026-11-01");
    expect(call?.query.get("to")).toBe("2026-11-07");
    expect(call?.query.get("compare")).toBe("previous_period");
  });

  it("leaves compare out when comparison is off and surfaces a 402 as an ApiError with details", async () => {
    const details = { limit: "history_days", plan: "free", allowed: 90, upgrade_to: "growth", upgrade_url: "/billing" };
    const api = stubApi({
      "GET /metrics/summary": { status: 402, body: { error: { code: "payment_required", message: "Free shows 90 days.", details } } },
    });
    const { result } = renderHook(() => useSummary({ from: "2025-01-01", to: "2025-01-31" }, false), { wrapper });
    await waitFor(() => expect(result.current.isError).toBe(true));
    expect(result.current.error?.status).toBe(402);
    expect(result.current.error?.details).toEqual(details);
    expect(api.callsTo("GET", "/metrics/summary")[0]?.query.has("compare")).toBe(false);
  });
});
