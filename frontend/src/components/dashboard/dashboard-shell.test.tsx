// The dashboard frame: a logged-out visitor is sent to login with the way back, and the account
// switcher asks the API for the other account.
import { fireEvent, screen, waitFor } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";

import { stubApi } from "@/test/api-stub";
import { me } from "@/test/fixtures";
import { routerMock, setTestUrl } from "@/test/navigation";
import { renderWithClient } from "@/test/render";

import { DashboardShell } from "./dashboard-shell";

vi.mock("next/navigation", () => import("@/test/navigation"));

beforeEach(() => setTestUrl("/orders?status=refunded"));

describe("DashboardShell", () => {
  it("sends a logged-out visitor to /login with next= this page", async () => {
    stubApi({ "GET /auth/me": { status: 401, body: { error: { code: "unauthenticated", message: "Log in." } } } });
    renderWithClient(<DashboardShell>secret</DashboardShell>);
    await waitFor(() => expect(routerMock.replace).toHaveBeenCalledWith("/login?next=%2Forders%3Fstatus%3Drefunded"));
    expect(screen.queryByText("secret")).toBeNull();
  });

  it("switches accounts through the API and marks the current section", async () => {
    const first = me();
    const other = { ...first.account, id: "acct_bbbbbbbbbbbbbbbbbbbbbb", name: "Client store" };
    let current = first.account;
    const stub = stubApi({
      "GET /auth/me": () => ({ body: { ...first, account: current, accounts: [first.account, other] } }),
      "POST /auth/switch-account": (req) => {
        current = other;
        return { body: { access_token: "t", token_type: "bearer", expires_in: 86400, user: first.user, account: other, echo: req.body } };
      },
    });
    renderWithClient(<DashboardShell>content</DashboardShell>);
    const select = await screen.findByTestId("account-switcher");
    expect(screen.getByRole("link", { name: "Orders" }).getAttribute("aria-current")).toBe("page");
    fireEvent.change(select, { target: { value: other.id } });
    await waitFor(() => expect((select as HTMLSelectElement).value).toBe(other.id));
    expect(stub.callsTo("POST", "/auth/switch-account")[0]?.body).toEqual({ account_id: other.id });
    expect(stub.callsTo("GET", "/auth/me").length).toBeGreaterThanOrEqual(2);
  });
});
