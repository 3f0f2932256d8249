// /orders: the store's orders in the range, newest first, filterable by status and searchable by
// number, id or email; new/returning customers, refunds and net per order; CSV of the filter.
"use client";

import { Suspense, useCallback } from "react";

import { DateRangePicker } from "@/components/dashboard/date-range-picker";
import { PageHeader } from "@/components/dashboard/page-header";
import { Pager } from "@/components/tables/pager";
import { SearchInput } from "@/components/tables/search-input";
import { SortHeader } from "@/components/tables/sort-header";
import { buttonVariants } from "@/components/ui/button";
import { EmptyState, SkeletonRows } from "@/components/ui/placeholders";
import { QueryError } from "@/components/ui/query-error";
import { useCursorPages } from "@/hooks/useCursorPages";
import { useDateRange } from "@/hooks/useDateRange";
import { ORDER_STATUSES, ordersCsvUrl, useOrders, type OrderRow, type OrderSort, type OrderStatus } from "@/hooks/useOrders";
import { useSearchState } from "@/hooks/useSearchState";
import { cn } from "@/lib/cn";
import { formatDateTime, formatMoney } from "@/lib/format";
import { platformLabel } from "@/lib/platforms";

const PAGE_SIZE = 50;

const STATUS_LABELS: Record<OrderStatus, string> = {
  paid: "Paid",
  pending: "Pending",
  authorized: "Authorized",
  partially_refunded: "Partially refunded",
  refunded: "Refunded",
  voided: "Voided",
  cancelled: "Cancelled",
  test: "Test",
};

const STATUS_TONES: Record<string, string> = {
  paid: "bg-emerald-50 text-emerald-800 ring-emerald-600/20 dark:bg-emerald-950 dark:text-emerald-200",
  partially_refunded: "bg-amber-50 text-amber-800 ring-amber-600/20 dark:bg-amber-950 dark:text-amber-200",
  refunded: "bg-red-50 text-red-800 ring-red-600/20 dark:bg-red-950 dark:text-red-200",
  cancelled: "bg-red-50 text-red-800 ring-red-600/20 dark:bg-red-950 dark:text-red-200",
  voided: "bg-red-50 text-red-800 ring-red-600/20 dark:bg-red-950 dark:text-red-200",
};

function StatusBadge({ status }: { status: string }) {
  return (
    <span
      className={cn(
        "inline-flex rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset",
        STATUS_TONES[status] ?? "bg-muted text-foreground ring-border",
      )}
    >
      {STATUS_LABELS[status as OrderStatus] ?? status}
    </span>
  );
}

function CustomerCell({ customer }: { customer: OrderRow["customer"] }) {
  return (
    <>
      <span className="block truncate">{customer.email ?? "Guest"}</span>
      {customer.type && (
        <span
          className={cn(
            "mt-0.5 inline-flex rounded px-1.5 text-xs font-medium",
            customer.type === "new" ? "bg-accent text-accent-foreground" : "bg-muted text-muted-foreground",
          )}
        >
          {customer.type === "new" ? "New" : "Returning"}
        </span>
      )}
    </>
  );
}

function Orders() {
  const { range, timeZone } = useDateRange();
  const { params, update } = useSearchState();
  const statusParam = params.get("status");
  const status = ORDER_STATUSES.includes(statusParam as OrderStatus) ? (statusParam as OrderStatus) : null;
  const sort: OrderSort = params.get("sort") === "total" ? "total" : "placed_at";
  const order = params.get("order") === "asc" ? "asc" : "desc";
  const q = params.get("q") ?? "";
  const query = { status, q, sort, order } as const;
  const pages = useCursorPages(JSON.stringify([range.from, range.to, status, sort, order, q]));
  const orders = useOrders(range, { ...query, limit: PAGE_SIZE, cursor: pages.cursor });
  const onSearch = useCallback((text: string) => update({ q: text.trim() || null }), [update]);
  const onSort = (column: OrderSort) => {
    const nextOrder = column === sort && order === "desc" ? "asc" : "desc";
    update({ sort: column === "placed_at" ? null : column, order: nextOrder === "desc" ? null : nextOrder });
  };
  const data = orders.data;

  return (
    <section aria-labelledby="orders-heading">
      <PageHeader id="orders-heading" title="Orders">
        <DateRangePicker compare={false} />
      </PageHeader>
      <div className="mt-4 flex flex-wrap items-end gap-3">
        <SearchInput label="Search orders" placeholder="Order number, id or exact email" value={q} onSearch={onSearch} />
        <a
          href={ordersCsvUrl(range, query)}
          download
          className={buttonVariants({ variant: "secondary", size: "sm", className: "ml-auto" })}
        >
          Export CSV
        </a>
      </div>
      <div role="group" aria-label="Status" className="mt-3 flex flex-wrap gap-2" data-testid="status-filter">
        {[null, ...ORDER_STATUSES].map((s) => (
          <button
            key={s ?? "all"}
            type="button"
            aria-pressed={status === s}
            onClick={() => update({ status: s })}
            className={cn(
              "h-9 rounded-full border px-3 text-sm font-medium focus-visible:outline-2 focus-visible:outline-ring",
              status === s ? "border-primary bg-primary text-primary-foreground" : "border-border bg-card hover:bg-muted",
            )}
          >
            {s === null ? "All" : STATUS_LABELS[s]}
          </button>
        ))}
      </div>
      {orders.isPending && <SkeletonRows label="Loading orders" rows={10} />}
      {orders.isError && <QueryError className="mt-4" error={orders.error} onRetry={() => void orders.refetch()} />}
      {data && data.data.length === 0 && (
        <EmptyState>
          {q || status
            ? "No order matches these filters in the range. Clear the search or choose All."
            : "No orders in this range. Connect Shopify or WooCommerce under Integrations, or send orders through the ingest API."}
        </EmptyState>
      )}
      {data && data.data.length > 0 && (
        <>
          <div className="mt-4 overflow-x-auto rounded-lg border border-border bg-card" aria-busy={orders.isFetching}>
            <table className="w-full text-sm tabular-nums" data-testid="orders-table">
              <caption className="sr-only">
                Orders from {data.from} to {data.to}, times in {data.timezone}
              </caption>
              <thead className="bg-muted text-left text-muted-foreground">
                <tr>
                  <th scope="col" className="px-3 py-2 font-medium">Order</th>
                  <SortHeader column="placed_at" label="Placed" sort={sort} order={order} onSort={onSort} align="left" />
                  <th scope="col" className="px-3 py-2 font-medium">Customer</th>
                  <th scope="col" className="px-3 py-2 font-medium">Status</th>
                  <th scope="col" className="px-3 py-2 font-medium">Channel</th>
                  <SortHeader column="total" label="Total" sort={sort} order={order} onSort={onSort} />
                  <th scope="col" className="px-3 py-2 text-right font-medium">Refunds</th>
                  <th scope="col" className="px-3 py-2 text-right font-medium">Net</th>
                </tr>
              </thead>
              <tbody>
                {data.data.map((o) => (
                  <tr key={o.id} className="border-t border-border align-top" data-testid="order-row" data-status={o.status}>
                    <th scope="row" className="px-3 py-2 text-left font-medium whitespace-nowrap">
                      {o.number ?? o.id}
                    </th>
                    <td className="px-3 py-2 whitespace-nowrap">{formatDateTime(o.placed_at, timeZone)}</td>
                    <td className="max-w-56 px-3 py-2">
                      <CustomerCell customer={o.customer} />
                    </td>
                    <td className="px-3 py-2">
                      <StatusBadge status={o.status} />
                      {o.fulfillment_status && (
                        <span className="mt-0.5 block text-xs text-muted-foreground">{o.fulfillment_status}</span>
                      )}
                    </td>
                    <td className="px-3 py-2 whitespace-nowrap">
                      {platformLabel(o.source.channel)}
                      {o.source.utm_campaign && (
                        <span className="block max-w-40 truncate text-xs text-muted-foreground" title={o.source.utm_campaign}>
                          {o.source.utm_campaign}
                        </span>
                      )}
                    </td>
                    <td className="px-3 py-2 text-right whitespace-nowrap">{formatMoney(o.total, o.currency)}</td>
                    <td className={cn("px-3 py-2 text-right whitespace-nowrap", o.refunds > 0 && "text-destructive")}>
                      {o.refunds > 0 ? `−${formatMoney(o.refunds, o.currency)}` : "—"}
                    </td>
                    <td className="px-3 py-2 text-right font-medium whitespace-nowrap">{formatMoney(o.net, o.currency)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pager
            page={pages.page}
            hasNext={data.next_cursor !== null}
            busy={orders.isFetching}
            onPrevious={pages.previous}
            onNext={() => data.next_cursor && pages.next(data.next_cursor)}
          />
        </>
      )}
    </section>
  );
}

export default function OrdersPage() {
  return (
    <Suspense>
      <Orders />
    </Suspense>
  );
}
