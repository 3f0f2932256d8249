// The orders page against a stubbed API: the status filter and search reach the query and the CSV
// link; customers are marked new or returning; refunds show against the total.
import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";

import { stubApi } from "@/test/api-stub";
import { me, order } from "@/test/fixtures";
import { setTestUrl, testUrl } from "@/test/navigation";
import { renderWithClient } from "@/test/render";

import OrdersPage from "./page";

vi.mock("next/navigation", () => import("@/test/navigation"));

const page = (rows: ReturnType<typeof order>[]) => ({
  data: rows,
  next_cursor: null,
  from: "2026-11-01",
  to: "2026-11-07",
  timezone: "America/New_York",
});

beforeEach(() => setTestUrl("/orders?range=custom&from=2026-11-01&to=2026-11-07"));

describe("Orders page", () => {
  it("shows each order's customer type, status, refunds and net in the account's time zone", async () => {
    stubApi({
      "GET /auth/me": { body: me() },
      "GET /metrics/orders": {
        body: page([
          order("1001"),
          order("1002", {
            customer: { email: "b***@example.com", type: "returning" },
            status: "partially_refunded",
            refunds: 2500,
            net: 9500,
          }),
        ]),
      },
    });
    renderWithClient(<OrdersPage />);
    const rows = await screen.findAllByTestId("order-row");
    expect(rows).toHaveLength(2);
    const [first, second] = rows;
    expect(within(first!).getByText("New")).toBeTruthy();
    // 15:30 UTC is 10:30 in New York.
    expect(first!.textContent).toContain("Nov 20, 2026, 10:30 AM");
    expect(within(second!).getByText("Returning")).toBeTruthy();
    expect(second!.textContent).toContain("Partially refunded");
    expect(second!.textContent).toContain("−$25.00");
    expect(second!.textContent).toContain("$95.00");
  });

  it("filters by status through the URL, the API query and the CSV export link", async () => {
    const stub = stubApi({
      "GET /auth/me": { body: me() },
      "GET /metrics/orders": (req) => ({
        body: page(req.query.get("status") === "refunded" ? [order("2001", { status: "refunded", refunds: 12000, net: 0 })] : [order("1001")]),
      }),
    });
    renderWithClient(<OrdersPage />);
    await screen.findByText("#1001");
    const filter = screen.getByRole("group", { name: "Status" });
    fireEvent.click(within(filter).getByRole("button", { name: "Refunded" }));
    await screen.findByText("#2001");
    expect(testUrl().searchParams.get("status")).toBe("refunded");
    expect(stub.calls.at(-1)?.query.get("status")).toBe("refunded");
    expect(within(filter).getByRole("button", { name: "Refunded" }).getAttribute("aria-pressed")).toBe("true");
    const csv = new URL(screen.getByRole("link", { name: "Export CSV" }).getAttribute("href")!, "http://localhost");
    expect(csv.pathname).toBe("/api/v1/metrics/orders.csv");
    expect(csv.searchParams.get("status")).toBe("refunded");
    expect(csv.searchParams.get("from")).toBe("2026-11-01");
    expect(csv.searchParams.has("cursor")).toBe(false);
    fireEvent.click(within(filter).getByRole("button", { name: "All" }));
    await screen.findByText("#1001");
    expect(testUrl().searchParams.has("status")).toBe(false);
  });

  it("says what to do when there are no orders", async () => {
    stubApi({ "GET /auth/me": { body: me() }, "GET /metrics/orders": { body: page([]) } });
    renderWithClient(<OrdersPage />);
    await screen.findByText(/No orders in this range\. Connect Shopify or WooCommerce/);
  });

  it("shows the server's error with a retry that asks again", async () => {
    let calls = 0;
    stubApi({
      "GET /auth/me": { body: me() },
      "GET /metrics/orders": () => {
        calls += 1;
        return calls === 1
          ? { status: 503, body: { error: { code: "unavailable", message: "The database is busy; try again." } } }
          : { body: page([order("3001")]) };
      },
    });
    renderWithClient(<OrdersPage />);
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("The database is busy; try again.");
    fireEvent.click(within(alert).getByRole("button", { name: "Try again" }));
    await screen.findByText("#3001");
    await waitFor(() => expect(calls).toBe(2));
  });
});
