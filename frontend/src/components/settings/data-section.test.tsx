// DataSection: only owners see the export and the erasure; erasing asks for the account's id and
// sends it; a refusal (a renewing plan) is shown in the dialog; the export saves the server's file.
import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { stubApi } from "@/test/api-stub";
import { renderWithClient } from "@/test/render";

import { DataSection } from "./data-section";
import { meAs } from "./test-fixtures";

const router = { replace: vi.fn() };
vi.mock("next/navigation", () => ({ useRouter: () => router, usePathname: () => "/settings" }));

describe("DataSection", () => {
  beforeEach(() => {
    router.replace.mockClear();
    vi.stubGlobal("URL", Object.assign(URL, { createObjectURL: vi.fn(() => "blob:x"), revokeObjectURL: vi.fn() }));
  });
  afterEach(() => vi.unstubAllGlobals());

  it("tells admins and others that only owners may", () => {
    stubApi({});
    renderWithClient(<DataSection me={meAs("admin")} />);
    expect(screen.getByText(/Only the account's owners/)).toBeTruthy();
    expect(screen.queryByRole("button", { name: /Erase/ })).toBeNull();
    expect(screen.queryByRole("button", { name: /Download/ })).toBeNull();
  });

  it("erases only once the account's id is typed, sends it, and leaves for the login page", async () => {
    const user = userEvent.setup();
    const api = stubApi({
      "DELETE /accounts/current": { body: { erased: true, account: "acct_1", rows: { orders: 3 } } },
    });
    renderWithClient(<DataSection me={meAs("owner")} />);
    await user.click(screen.getByRole("button", { name: "Erase account…" }));
    const dialog = screen.getByRole("alertdialog", { name: "Erase Acme Store?" });
    const confirm = within(dialog).getByRole("button", { name: "Erase for good" });
    expect((confirm as HTMLButtonElement).disabled).toBe(true);
    await user.type(within(dialog).getByLabelText(/to confirm/), "acct_");
    expect((confirm as HTMLButtonElement).disabled).toBe(true);
    await user.type(within(dialog).getByLabelText(/to confirm/), "1");
    expect((confirm as HTMLButtonElement).disabled).toBe(false);
    await user.click(confirm);
    await waitFor(() => expect(router.replace).toHaveBeenCalledWith("/login"));
    expect(api.callsTo("DELETE", "/accounts/current")[0]?.body).toEqual({ confirm: "acct_1" });
  });

  it("shows why the server refused, and erases nothing", async () => {
    const user = userEvent.setup();
    stubApi({
      "DELETE /accounts/current": {
        status: 409,
        body: { error: { code: "conflict", message: "Cancel it in the billing portal first.", request_id: "r" } },
      },
    });
    renderWithClient(<DataSection me={meAs("owner")} />);
    await user.click(screen.getByRole("button", { name: "Erase account…" }));
    const dialog = screen.getByRole("alertdialog");
    await user.type(within(dialog).getByLabelText(/to confirm/), "acct_1");
    await user.click(within(dialog).getByRole("button", { name: "Erase for good" }));
    expect((await within(dialog).findByRole("alert")).textContent).toContain("billing portal");
    expect(router.replace).not.toHaveBeenCalled();
  });

  it("downloads the export under the name the server gives it", async () => {
    const user = userEvent.setup();
    const api = stubApi({});
    const archive = new Response(new Blob(["gz"]), {
      status: 200,
      headers: { "Content-Type": "application/gzip", "Content-Disposition": 'attachment; filename="omnitrackiq-acct_1-20261128.tar.gz"' },
    });
    vi.mocked(fetch).mockResolvedValueOnce(archive);
    const clicks: string[] = [];
    const click = vi.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(function (this: HTMLAnchorElement) {
      clicks.push(this.download);
    });
    renderWithClient(<DataSection me={meAs("owner")} />);
    await user.click(screen.getByRole("button", { name: "Download all data" }));
    expect(await screen.findByText("Downloaded omnitrackiq-acct_1-20261128.tar.gz.")).toBeTruthy();
    expect(clicks).toEqual(["omnitrackiq-acct_1-20261128.tar.gz"]);
    const call = vi.mocked(fetch).mock.calls[0];
    expect(String(call?.[0])).toBe("/api/v1/accounts/current/export");
    expect(call?.[1]?.method).toBe("POST");
    expect(api.calls).toHaveLength(0);  // answered by the archive, not the JSON stub
    click.mockRestore();
  });
});
