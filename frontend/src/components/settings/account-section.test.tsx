// AccountSection: only what changed is sent, "Saved" follows the refreshed session, and only owners
// and admins can edit.
import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";

import { meKey, useMe, type Me } from "@/hooks/useAuth";
import { stubApi } from "@/test/api-stub";
import { renderWithClient } from "@/test/render";

import { AccountSection } from "./account-section";
import { meAs } from "./test-fixtures";

function AccountFromSession() {
  const me = useMe();
  return me.data ? <AccountSection me={me.data} /> : null;
}

/** A fake server whose session reflects the last PATCH, as the real one does. */
function stubAccountApi(me: Me) {
  let session = me;
  return stubApi({
    "GET /auth/me": () => ({ body: session }),
    "PATCH /accounts/current": ({ body }) => {
      const account = { ...session.account, ...(body as object) };
      session = { ...session, account, accounts: [account] };
      return { body: account };
    },
  });
}

describe("AccountSection", () => {
  it("PATCHes only the new time zone, shows Saved and refetches the session and metrics", async () => {
    const user = userEvent.setup();
    const api = stubAccountApi(meAs("admin"));
    const { client } = renderWithClient(<AccountFromSession />);
    client.setQueryData(["metrics", "summary", "from=2026-01-01"], { stale: true });

    const select = await screen.findByTestId("account-timezone");
    expect(screen.getByTestId("account-save")).toHaveProperty("disabled", true);
    await user.selectOptions(select, "Europe/Berlin");
    await user.click(screen.getByTestId("account-save"));

    await waitFor(() => expect(screen.getByRole("status").textContent).toBe("Saved"));
    expect(api.callsTo("PATCH", "/accounts/current").map((c) => c.body)).toEqual([{ timezone: "Europe/Berlin" }]);
    expect(client.getQueryData<Me>(meKey)?.account.timezone).toBe("Europe/Berlin");
    expect(client.getQueryState(["metrics", "summary", "from=2026-01-01"])?.isInvalidated).toBe(true);
    expect(screen.getByTestId("account-save")).toHaveProperty("disabled", true);
  });

  it("refuses an empty name without calling the API, and shows the server's refusal", async () => {
    const user = userEvent.setup();
    const api = stubApi({
      "GET /auth/me": { body: meAs("owner") },
      "PATCH /accounts/current": {
        status: 422,
        body: { error: { code: "unprocessable", message: "Currency must be an ISO 4217 code such as USD or EUR." } },
      },
    });
    renderWithClient(<AccountFromSession />);

    const name = await screen.findByLabelText("Account name");
    await user.clear(name);
    await user.click(screen.getByTestId("account-save"));
    expect(screen.getByText("Name your store or agency.")).toBeTruthy();
    expect(api.callsTo("PATCH", "/accounts/current")).toHaveLength(0);

    await user.type(name, "Acme");
    await user.selectOptions(screen.getByLabelText("Reporting currency"), "EUR");
    await user.click(screen.getByTestId("account-save"));
    expect((await screen.findByRole("alert")).textContent).toContain("ISO 4217");
    expect(api.callsTo("PATCH", "/accounts/current")[0]?.body).toEqual({ name: "Acme", currency: "EUR" });
  });

  it("is read-only for analysts and viewers", () => {
    stubApi({});
    renderWithClient(<AccountSection me={meAs("analyst", { timezone: "Asia/Kolkata", currency: "XOF" })} />);
    expect(screen.getByText("Only owners and admins can change these settings.")).toBeTruthy();
    expect(screen.getByTestId("account-timezone")).toHaveProperty("disabled", true);
    // The account's own values are offered even when the lists would not include them.
    expect(screen.getByTestId("account-timezone")).toHaveProperty("value", "Asia/Kolkata");
    expect(screen.getByLabelText("Reporting currency")).toHaveProperty("value", "XOF");
    expect(screen.queryByTestId("account-save")).toBeNull();
  });
});
