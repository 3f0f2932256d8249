// Orders of a range for the orders table (GET /metrics/orders), and the matching CSV export URL.
"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";

import { ApiError, API_BASE_PATH, apiGet } from "@/lib/api-client";
import type { components, operations } from "@/lib/api-types";

import { metricsParams, type DayRange } from "./useMetrics";

type OrdersQueryParams = NonNullable<operations["getMetricsOrders"]["parameters"]["query"]>;

export type OrderRow = components["schemas"]["OrderRow"];
export type OrderStatus = NonNullable<OrdersQueryParams["status"]>;
export type OrderSort = NonNullable<OrdersQueryParams["sort"]>;
export type OrderPage = operations["getMetricsOrders"]["responses"][200]["content"]["application/json"];

export const ORDER_STATUSES: readonly OrderStatus[] = [
  "paid",
  "pending",
  "authorized",
  "partially_refunded",
  "refunded",
  "voided",
  "cancelled",
  "test",
];

export type OrderQuery = {
  status?: OrderStatus | null;
  q?: string;
  sort?: OrderSort;
  order?: "asc" | "desc";
  limit?: number;
  cursor?: string | null;
};

function orderParams(range: DayRange, query: OrderQuery, paged: boolean) {
  return metricsParams(range, {
    status: query.status,
    q: query.q?.trim(),
    sort: query.sort,
    order: query.order,
    limit: paged ? query.limit : null,
    cursor: paged ? query.cursor : null,
  });
}

export function useOrders(range: DayRange, query: OrderQuery) {
  const params = orderParams(range, query, true);
  return useQuery<OrderPage, ApiError>({
    queryKey: ["metrics", "orders", params.toString()],
    queryFn: ({ signal }) => apiGet<OrderPage>(`/metrics/orders?${params}`, { signal }),
    placeholderData: keepPreviousData,
  });
}

/** The server streams every order of the filter as CSV; the session cookie authorises the download. */
export function ordersCsvUrl(range: DayRange, query: OrderQuery): string {
  return `${API_BASE_PATH}/metrics/orders.csv?${orderParams(range, query, false)}`;
}
