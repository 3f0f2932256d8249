// Integrations: the provider catalogue with the account's connections (polled while a sync is under
// way), connecting, "sync now", sync frequency and settings, disconnecting, each connection's sync
// runs, and the Meta ad accounts a connection can sync.
"use client";

import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import { ApiError, apiGet, apiPost, apiRequest } from "@/lib/api-client";
import type { components, operations } from "@/lib/api-types";

export type Provider = components["schemas"]["Provider"];
export type Integration = components["schemas"]["Integration"];
export type SyncRun = components["schemas"]["SyncRun"];
export type SyncFrequency = Integration["sync_frequency_minutes"];
export type AdAccount = components["schemas"]["AdAccount"];
/** `selection` "all": no choice is stored and every ad account syncs. */
export type AdAccountList = operations["listMetaAdAccounts"]["responses"][200]["content"]["application/json"];

/** What PATCH /integrations/{id} takes. Settings merge into the stored ones; null resets one to its default. */
export type IntegrationUpdate = {
  sync_frequency_minutes?: SyncFrequency;
  settings?: { ad_account_ids?: string[] | null };
};

/** What POST /integrations/{provider}/connect takes: `{shop}` for Shopify, keys for WooCommerce, nothing for the rest. */
export type ConnectBody = { shop: string } | { store_url: string; consumer_key: string; consumer_secret: string };

/** 200 `{url}`: send the browser to the provider. 201 `{data}`: connected at once (WooCommerce keys). */
export type ConnectResult = { url: string } | { data: Integration };

type RunsPage = { data: SyncRun[]; next_before: string | null };

export const integrationsKey = ["integrations"] as const;
const listKey = [...integrationsKey, "list"] as const;
const runsKey = (id: string) => [...integrationsKey, "runs", id] as const;
// Outside integrationsKey on purpose: every read asks Meta live, so saving settings must not re-ask it.
const adAccountsKey = (id: string) => ["meta-ad-accounts", id] as const;

/** How often the list is re-read while a sync runs, and while one only waits in the queue (a
 *  retry after a failure can wait for hours, so a queued sync alone is checked less often). */
export const BUSY_POLL_MS = 5_000;
export const QUEUED_POLL_MS = 30_000;
const RUNS_PAGE_SIZE = 10;

/** How often to re-read the list: often while a sync runs, now and then while one is queued, else never. */
export function pollInterval(providers: Provider[] | undefined): number | false {
  const connections = (providers ?? []).flatMap((p) => p.connections);
  if (connections.some((c) => c.status === "syncing" || c.pending_sync === "running")) return BUSY_POLL_MS;
  if (connections.some((c) => c.pending_sync === "queued")) return QUEUED_POLL_MS;
  return false;
}

/** Every provider in display order with its connections; polls only while a sync is in flight. */
export function useIntegrations() {
  return useQuery<Provider[], ApiError>({
    queryKey: listKey,
    queryFn: async ({ signal }) => (await apiGet<{ data: Provider[] }>("/integrations", { signal })).data,
    refetchInterval: (query) => pollInterval(query.state.data),
  });
}

/** Starts connecting `provider`; the caller sends the browser to `url` when the answer has one. */
export function useConnect(provider: string) {
  const client = useQueryClient();
  return useMutation<ConnectResult, ApiError, ConnectBody | undefined>({
    mutationFn: (body) => apiPost<ConnectResult>(`/integrations/${encodeURIComponent(provider)}/connect`, body ?? {}),
    onSuccess: (result) => {
      if ("data" in result) return client.invalidateQueries({ queryKey: integrationsKey });
    },
  });
}

/** Queues a sync of one connection now (or moves a queued one to the front). */
export function useSyncNow(id: string) {
  const client = useQueryClient();
  return useMutation<{ data: Integration; queued: boolean }, ApiError, void>({
    mutationFn: () => apiPost(`/integrations/${encodeURIComponent(id)}/sync`),
    onSuccess: () => client.invalidateQueries({ queryKey: integrationsKey }),
  });
}

/** Changes how often the worker syncs one connection, and/or its settings (which Meta ad accounts). */
export function useUpdateIntegration(id: string) {
  const client = useQueryClient();
  return useMutation<{ data: Integration }, ApiError, IntegrationUpdate>({
    mutationFn: (body) => apiRequest("PATCH", `/integrations/${encodeURIComponent(id)}`, body),
    onSuccess: () => client.invalidateQueries({ queryKey: integrationsKey }),
  });
}

/** Disconnects: the server revokes the token where it can and deletes the credentials; data and runs stay. */
export function useDisconnect(id: string) {
  const client = useQueryClient();
  return useMutation<{ data: Integration }, ApiError, void>({
    mutationFn: () => apiRequest("DELETE", `/integrations/${encodeURIComponent(id)}`),
    onSuccess: () => client.invalidateQueries({ queryKey: integrationsKey }),
  });
}

/**
 * A connection's sync runs, newest first, a page at a time. Read only while `enabled` (the section
 * is open), and re-read every few seconds while `live` (a sync of it is queued or running).
 */
export function useSyncRuns(id: string, options: { enabled: boolean; live: boolean }) {
  return useInfiniteQuery<RunsPage, ApiError, SyncRun[], ReturnType<typeof runsKey>, string | null>({
    queryKey: runsKey(id),
    enabled: options.enabled,
    initialPageParam: null,
    queryFn: ({ pageParam, signal }) => {
      const params = new URLSearchParams({ limit: String(RUNS_PAGE_SIZE) });
      if (pageParam) params.set("before", pageParam);
      return apiGet<RunsPage>(`/integrations/${encodeURIComponent(id)}/runs?${params}`, { signal });
    },
    getNextPageParam: (last) => last.next_before,
    select: (data) => data.pages.flatMap((page) => page.data),
    refetchInterval: options.live ? BUSY_POLL_MS : false,
  });
}

/**
 * The Meta ad accounts a connection's login can read, each marked when it syncs (admin+). Read only
 * while `enabled`, and dropped as soon as nothing shows it (the picker closes), so each opening asks afresh.
 */
export function useAdAccounts(id: string, enabled: boolean) {
  return useQuery<AdAccountList, ApiError>({
    queryKey: adAccountsKey(id),
    enabled,
    queryFn: ({ signal }) => apiGet<AdAccountList>(`/integrations/${encodeURIComponent(id)}/ad-accounts`, { signal }),
    gcTime: 0,
    // Every read is a live call to Meta: not worth repeating whenever the window regains focus.
    refetchOnWindowFocus: false,
  });
}
