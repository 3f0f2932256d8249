// useIntegrations polls often while a sync runs, slowly while one is queued, else not; useSyncRuns pages with next_before.
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { renderHook } from "@testing-library/react";
import type { ReactNode } from "react";
import { afterEach, describe, expect, it, vi } from "vitest";

import { catalogue, connection } from "@/components/integrations/test-fixtures";
import { stubApi } from "@/test/api-stub";

import { BUSY_POLL_MS, pollInterval, QUEUED_POLL_MS, useIntegrations, useSyncRuns } from "./useIntegrations";

function wrapper({ children }: { children: ReactNode }) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return <QueryClientProvider client={client}>{children}</QueryClientProvider>;
}

afterEach(() => {
  vi.useRealTimers();
});

describe("pollInterval", () => {
  it("polls often while a sync runs, now and then while one is only queued, and not at all otherwise", () => {
    const idle = connection();
    expect(pollInterval(catalogue({ facebook_ads: { connections: [idle] } }))).toBe(false);
    expect(pollInterval(catalogue({ shopify: { connections: [{ ...idle, pending_sync: "queued" }] } }))).toBe(QUEUED_POLL_MS);
    expect(pollInterval(catalogue({ shopify: { connections: [{ ...idle, pending_sync: "running" }] } }))).toBe(BUSY_POLL_MS);
    expect(
      pollInterval(catalogue({ facebook_ads: { connections: [{ ...idle, pending_sync: "queued" }, { ...idle, status: "syncing" }] } })),
    ).toBe(BUSY_POLL_MS);
  });
});

describe("useIntegrations", () => {
  it("re-reads the list slowly while a sync is queued, often while it runs, and stops when it is done", async () => {
    vi.useFakeTimers();
    let pending: "queued" | "running" | null = "queued";
    const api = stubApi({
      "GET /integrations": () => ({
        body: { data: catalogue({ facebook_ads: { connections: [connection({ pending_sync: pending })] } }) },
      }),
    });
    const { result } = renderHook(() => useIntegrations(), { wrapper });
    await vi.waitFor(() => expect(result.current.isSuccess).toBe(true));
    const reads = () => api.callsTo("GET", "/integrations").length;
    expect(reads()).toBe(1);

    pending = "running";
    await vi.advanceTimersByTimeAsync(BUSY_POLL_MS);
    expect(reads()).toBe(1); // only queued: the slower rate
    await vi.advanceTimersByTimeAsync(QUEUED_POLL_MS - BUSY_POLL_MS);
    expect(reads()).toBe(2);

    pending = null;
    await vi.advanceTimersByTimeAsync(BUSY_POLL_MS);
    expect(reads()).toBe(3);
    await vi.advanceTimersByTimeAsync(BUSY_POLL_MS * 6);
    expect(reads()).toBe(3);
  });
});

describe("useSyncRuns", () => {
  it("waits until enabled, then pages older runs with before=next_before", async () => {
    const run = (id: string) => ({ id, trigger: "scheduled", status: "succeeded", rows_read: 1, rows_written: 1, queued_at: "2026-11-27T14:00:00Z" });
    const api = stubApi({
      "GET /integrations/int_AAAAAAAAAAAAAAAAAAAAAA/runs": ({ query }) =>
        query.get("before")
          ? { body: { data: [run("sync_2")], next_before: null } }
          : { body: { data: [run("sync_1")], next_before: "sync_1" } },
    });
    const { result, rerender } = renderHook(({ enabled }) => useSyncRuns("int_AAAAAAAAAAAAAAAAAAAAAA", { enabled, live: false }), {
      wrapper,
      initialProps: { enabled: false },
    });
    expect(api.calls).toHaveLength(0);
    rerender({ enabled: true });
    await vi.waitFor(() => expect(result.current.data?.map((r) => r.id)).toEqual(["sync_1"]));
    expect(result.current.hasNextPage).toBe(true);
    await result.current.fetchNextPage();
    await vi.waitFor(() => expect(result.current.data?.map((r) => r.id)).toEqual(["sync_1", "sync_2"]));
    expect(api.calls[1]?.query.get("before")).toBe("sync_1");
  });
});
