// ApiKeysSection: the secret of a new key is shown once, revoking asks first, and only admins see keys.
import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";

import type { ApiKey } from "@/hooks/useAccount";
import { stubApi } from "@/test/api-stub";
import { renderWithClient } from "@/test/render";

import { ApiKeysSection } from "./api-keys-section";
import { meAs } from "./test-fixtures";

const n8n: ApiKey = {
  id: "key_n8n",
  name: "n8n",
  role: "ingest",
  prefix: "otq_live_AbCd",
  created_at: "2026-02-01T09:00:00Z",
  last_used_at: null,
};

/** GET lists the current keys, POST adds one (answering its secret), DELETE removes one (204). */
function stubKeysApi(initial: ApiKey[]) {
  let keys = initial;
  return stubApi({
    "GET /api-keys": () => ({ body: { data: keys } }),
    "POST /api-keys": ({ body }) => {
      const { name, role } = body as Pick<ApiKey, "name" | "role">;
      const key: ApiKey = { ...n8n, id: "key_new", name, role, prefix: "otq_live_WxYz" };
      keys = [...keys, key];
      return { status: 201, body: { ...key, key: "otq_live_WxYzSECRETsecretSECRETsecret12" } };
    },
    "DELETE /api-keys/key_n8n": () => {
      keys = keys.filter((k) => k.id !== "key_n8n");
      return { status: 204, body: undefined };
    },
  });
}

describe("ApiKeysSection", () => {
  it("shows a created key's secret once, with copy, until dismissed; the list keeps only its prefix", async () => {
    const user = userEvent.setup();
    const api = stubKeysApi([]);
    renderWithClient(<ApiKeysSection me={meAs("admin")} />);
    expect(await screen.findByText(/No API keys yet/)).toBeTruthy();

    await user.type(screen.getByLabelText("Name"), "Warehouse");
    await user.click(screen.getByRole("button", { name: "Create key" }));

    const notice = await screen.findByTestId("new-api-key");
    const secret = within(notice).getByLabelText(/Secret of the key Warehouse/);
    expect(secret).toHaveProperty("value", "otq_live_WxYzSECRETsecretSECRETsecret12");
    expect(notice.textContent).toContain("won't see it again");
    await user.click(within(notice).getByRole("button", { name: "Copy" }));
    expect(await navigator.clipboard.readText()).toBe("otq_live_WxYzSECRETsecretSECRETsecret12");
    expect(within(notice).getByRole("button", { name: "Copied" })).toBeTruthy();
    expect(api.callsTo("POST", "/api-keys")[0]?.body).toEqual({ name: "Warehouse", role: "read" });

    // The refetched list has the key by its prefix; the secret is nowhere but the notice.
    const list = await screen.findByRole("list", { name: "API keys" });
    await waitFor(() => expect(within(list).getByText("otq_live_WxYz…")).toBeTruthy());
    expect(api.callsTo("GET", "/api-keys")).toHaveLength(2);

    await user.click(within(notice).getByRole("button", { name: /stored it safely/ }));
    expect(screen.queryByTestId("new-api-key")).toBeNull();
    expect(document.body.textContent).not.toContain("SECRET");
  });

  it("asks before revoking; Cancel keeps the key, confirming sends DELETE and drops it", async () => {
    const user = userEvent.setup();
    const api = stubKeysApi([n8n]);
    renderWithClient(<ApiKeysSection me={meAs("owner")} />);

    const revoke = await screen.findByRole("button", { name: "Revoke the key n8n" });
    await user.click(revoke);
    const dialog = screen.getByRole("alertdialog", { name: "Revoke “n8n”?" });
    expect(document.activeElement).toBe(within(dialog).getByRole("button", { name: "Cancel" }));
    await user.keyboard("{Escape}");
    expect(screen.queryByRole("alertdialog")).toBeNull();
    expect(api.callsTo("DELETE", "/api-keys/key_n8n")).toHaveLength(0);

    await user.click(revoke);
    await user.click(screen.getByRole("button", { name: "Revoke key" }));
    await waitFor(() => expect(screen.queryByRole("alertdialog")).toBeNull());
    expect(api.callsTo("DELETE", "/api-keys/key_n8n")).toHaveLength(1);
    expect(await screen.findByText(/No API keys yet/)).toBeTruthy();
  });

  it("keeps the dialog open with the server's message when revoking fails", async () => {
    const user = userEvent.setup();
    stubApi({
      "GET /api-keys": { body: { data: [n8n] } },
      "DELETE /api-keys/key_n8n": { status: 404, body: { error: { code: "not_found", message: "No such API key." } } },
    });
    renderWithClient(<ApiKeysSection me={meAs("admin")} />);
    await user.click(await screen.findByRole("button", { name: "Revoke the key n8n" }));
    await user.click(screen.getByRole("button", { name: "Revoke key" }));
    const dialog = screen.getByRole("alertdialog");
    expect((await within(dialog).findByRole("alert")).textContent).toBe("No such API key.");
  });

  it("does not fetch keys for an analyst, who may not see them", () => {
    const api = stubApi({});
    renderWithClient(<ApiKeysSection me={meAs("analyst")} />);
    expect(screen.getByText("Only owners and admins can see and create API keys.")).toBeTruthy();
    expect(api.calls).toHaveLength(0);
  });
});
