// The campaigns page against a stubbed API: sorting, filtering and paging are URL state that
// reaches the API's query, and totals come from the server.
import { act, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";

import { stubApi } from "@/test/api-stub";
import { campaign, campaignPage, definitions, me } from "@/test/fixtures";
import { setTestUrl, testUrl } from "@/test/navigation";
import { renderWithClient } from "@/test/render";

import CampaignsPage from "./page";

vi.mock("next/navigation", () => import("@/test/navigation"));

const rows = [campaign("Prospecting", 500000), campaign("Search | Brand", 125000, "google_ads")];

function api(pages: Record<string, ReturnType<typeof campaignPage>> = {}) {
  return stubApi({
    "GET /auth/me": { body: me() },
    "GET /metrics/definitions": { body: definitions },
    "GET /metrics/campaigns": (req) => ({ body: pages[req.query.get("cursor") ?? ""] ?? campaignPage(rows) }),
  });
}

beforeEach(() => setTestUrl("/campaigns?range=custom&from=2026-11-01&to=2026-11-07"));

describe("Campaigns page", () => {
  it("lists the campaigns with platform badges and the server's totals", async () => {
    api();
    renderWithClient(<CampaignsPage />);
    const table = await screen.findByTestId("campaigns-table");
    const bodyRows = within(table).getAllByTestId("campaign-row");
    expect(bodyRows).toHaveLength(2);
    expect(bodyRows[0]?.textContent).toContain("Prospecting");
    expect(bodyRows[0]?.textContent).toContain("Meta Ads");
    expect(bodyRows[1]?.textContent).toContain("Google Ads");
    expect(screen.getByTestId("campaigns-totals").textContent).toContain("$6,250.00");
    expect(screen.getByTestId("campaigns-totals").textContent).toContain("2 campaigns");
  });

  it("sorts by a column on click and reverses on a second click, through the URL and the API", async () => {
    const stub = api();
    renderWithClient(<CampaignsPage />);
    await screen.findByTestId("campaigns-table");
    fireEvent.click(screen.getByRole("button", { name: /^Clicks/ }));
    await waitFor(() => expect(testUrl().searchParams.get("sort")).toBe("clicks"));
    expect(testUrl().searchParams.get("order")).toBe("desc");
    await waitFor(() => expect(stub.calls.some((c) => c.query.get("sort") === "clicks" && c.query.get("order") === "desc")).toBe(true));
    fireEvent.click(screen.getByRole("button", { name: /^Clicks/ }));
    await waitFor(() => expect(testUrl().searchParams.get("order")).toBe("asc"));
    await waitFor(() => expect(stub.calls.at(-1)?.query.get("order")).toBe("asc"));
    expect(screen.getByRole("columnheader", { name: /Clicks/ }).getAttribute("aria-sort")).toBe("ascending");
    // The range stays in the query.
    expect(stub.calls.at(-1)?.query.get("from")).toBe("2026-11-01");
  });

  it("filters by platform and by search text after typing pauses", async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const stub = api();
    renderWithClient(<CampaignsPage />);
    await screen.findByTestId("campaigns-table");
    fireEvent.change(screen.getByLabelText("Platform"), { target: { value: "google_ads" } });
    await waitFor(() => expect(stub.calls.at(-1)?.query.get("platform")).toBe("google_ads"));
    fireEvent.change(screen.getByLabelText("Search campaigns"), { target: { value: "brand" } });
    expect(testUrl().searchParams.has("q")).toBe(false);
    await act(async () => {
      await vi.advanceTimersByTimeAsync(350);
    });
    await waitFor(() => expect(testUrl().searchParams.get("q")).toBe("brand"));
    await waitFor(() => expect(stub.calls.at(-1)?.query.get("q")).toBe("brand"));
    expect(stub.calls.at(-1)?.query.get("platform")).toBe("google_ads");
    vi.useRealTimers();
  });

  it("pages forward with the server's cursor and back to the first page", async () => {
    const stub = api({ "": campaignPage(rows, "cur_2"), cur_2: campaignPage([campaign("Retargeting", 1000)]) });
    renderWithClient(<CampaignsPage />);
    await screen.findByText("Prospecting");
    fireEvent.click(screen.getByRole("button", { name: "Next" }));
    await screen.findByText("Retargeting");
    expect(stub.calls.at(-1)?.query.get("cursor")).toBe("cur_2");
    expect(screen.getByText("Page 2")).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Previous" }));
    await screen.findByText("Prospecting");
    expect(screen.getByText("Page 1")).toBeTruthy();
  });

  it("shows an upgrade prompt when the range is beyond the plan's history", async () => {
    stubApi({
      "GET /auth/me": { body: me() },
      "GET /metrics/definitions": { body: definitions },
      "GET /metrics/campaigns": {
        status: 402,
        body: {
          error: {
            code: "payment_required",
            message: "Free shows the last 90 days.",
            details: { limit: "history_days", plan: "free", allowed: 90, upgrade_to: "growth", upgrade_url: "/billing" },
          },
        },
      },
    });
    renderWithClient(<CampaignsPage />);
    const prompt = await screen.findByTestId("upgrade-prompt");
    expect(prompt.textContent).toContain("Free shows the last 90 days.");
    expect(within(prompt).getByRole("link", { name: "Upgrade to Growth" }).getAttribute("href")).toBe("/billing");
  });
});
