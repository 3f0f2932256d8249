// The Meta ad account picker on a connection, against a stubbed API: what it lists, what Save sends,
// the server's refusal in its own words, and where the picker is not offered.
import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import axe from "axe-core";
import { describe, expect, it } from "vitest";

import type { AdAccount, AdAccountList, Integration } from "@/hooks/useIntegrations";
import { stubApi, type StubHandler } from "@/test/api-stub";
import { renderWithClient } from "@/test/render";

import type { Role } from "./display";
import { ProviderCatalogue } from "./provider-catalogue";
import { catalogue, connection } from "./test-fixtures";

const meta = connection();
const accountsPath = `/integrations/${meta.id}/ad-accounts`;

function account(id: string, name: string, overrides: Partial<AdAccount> = {}): AdAccount {
  return { id, name, currency: "USD", timezone: "America/New_York", status: "active", selected: true, ...overrides };
}

/** Three accounts; `chosen` lists the ids stored in settings, none meaning "all". */
function accounts(chosen: string[] = []): AdAccountList {
  const data = [
    account("act_1", "Store ads"),
    account("act_2", "Brand ads", { currency: "EUR", timezone: "Europe/Berlin" }),
    account("act_3", "Old agency", { status: "disabled" }),
  ];
  if (chosen.length === 0) return { data, selection: "all" };
  return { data: data.map((a) => ({ ...a, selected: chosen.includes(a.id) })), selection: "chosen" };
}

function renderCatalogue(routes: Record<string, StubHandler>, options: { role?: Role; connections?: Integration[] } = {}) {
  const connections = options.connections ?? [meta];
  const api = stubApi({
    "GET /integrations": { body: { data: catalogue({ facebook_ads: { status: "connected", connections } }) } },
    ...routes,
  });
  renderWithClient(<ProviderCatalogue role={options.role ?? "admin"} timeZone="America/New_York" highlightId={null} />);
  return api;
}

async function openPicker() {
  const row = await screen.findByTestId(`connection-${meta.id}`);
  const button = within(row).getByRole("button", { name: "Choose ad accounts" });
  await userEvent.click(button);
  return { row, button, panel: within(row).getByRole("group", { name: "Ad accounts to sync" }) };
}

const checkbox = (panel: HTMLElement, name: string) => within(panel).getByRole<HTMLInputElement>("checkbox", { name });
const radio = (panel: HTMLElement, name: RegExp) => within(panel).getByRole<HTMLInputElement>("radio", { name });

describe("AdAccountPicker", () => {
  it("lists each ad account with its details and status, ticked as the server stores the choice", async () => {
    const chosen = connection({ settings: { ad_account_ids: ["act_1"] } });
    renderCatalogue({ [`GET ${accountsPath}`]: { body: accounts(["act_1"]) } }, { connections: [chosen] });
    const { row, button, panel } = await openPicker();
    expect(row.textContent).toContain("Ad accounts: 1 chosen ad account");
    expect(button.getAttribute("aria-expanded")).toBe("true");
    expect(document.activeElement).toBe(panel);

    await within(panel).findByRole("list", { name: "Ad accounts" });
    expect(radio(panel, /Only the ones I choose/).checked).toBe(true);
    expect(checkbox(panel, "Store ads").checked).toBe(true);
    expect(checkbox(panel, "Brand ads").checked).toBe(false);
    expect(checkbox(panel, "Brand ads").getAttribute("aria-describedby")).toBeTruthy();
    const brand = checkbox(panel, "Brand ads").closest("li");
    expect(brand?.textContent).toContain("act_2");
    expect(brand?.textContent).toContain("EUR · Europe/Berlin");
    expect(checkbox(panel, "Old agency").closest("li")?.textContent).toContain("Disabled");

    const results = await axe.run(row, { rules: { "color-contrast": { enabled: false } } });
    expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.html).join(", ")}`)).toEqual([]);

    await userEvent.keyboard("{Escape}");
    expect(within(row).queryByRole("group", { name: "Ad accounts to sync" })).toBeNull();
    expect(document.activeElement).toBe(button);
  });

  it("saves exactly the chosen accounts, and will not save an empty choice", async () => {
    const chosen = connection({ settings: { ad_account_ids: ["act_3"] } });
    const api = renderCatalogue(
      {
        [`GET ${accountsPath}`]: { body: accounts(["act_3"]) },
        [`PATCH /integrations/${meta.id}`]: { body: { data: { ...chosen, settings: { ad_account_ids: ["act_1", "act_2"] } } } },
      },
      { connections: [chosen] },
    );
    const { row, button, panel } = await openPicker();
    await userEvent.click(await within(panel).findByRole("checkbox", { name: "Old agency" }));
    const save = within(panel).getByRole<HTMLButtonElement>("button", { name: "Save" });
    expect(save.disabled).toBe(true);
    expect(within(panel).getByText("Choose at least one ad account, or All ad accounts.").id).toBe(
      save.getAttribute("aria-describedby"),
    );

    await userEvent.click(checkbox(panel, "Brand ads"));
    await userEvent.click(checkbox(panel, "Store ads"));
    await userEvent.click(save);

    await waitFor(() => expect(within(row).getByRole("status").textContent).toContain("Saved."));
    expect(api.callsTo("PATCH", `/integrations/${meta.id}`).map((c) => c.body)).toEqual([
      { settings: { ad_account_ids: ["act_1", "act_2"] } },
    ]);
    expect(within(row).queryByRole("group", { name: "Ad accounts to sync" })).toBeNull();
    expect(document.activeElement).toBe(button);
    expect(api.callsTo("GET", "/integrations").length).toBeGreaterThan(1);
  });

  it("narrows from every account by clearing one, which switches to choosing", async () => {
    const api = renderCatalogue({
      [`GET ${accountsPath}`]: { body: accounts() },
      [`PATCH /integrations/${meta.id}`]: { body: { data: meta } },
    });
    const { panel } = await openPicker();
    await within(panel).findByRole("list", { name: "Ad accounts" });
    expect(radio(panel, /All ad accounts/).checked).toBe(true);
    expect(["Store ads", "Brand ads", "Old agency"].every((name) => checkbox(panel, name).checked)).toBe(true);

    await userEvent.click(checkbox(panel, "Old agency"));
    expect(radio(panel, /Only the ones I choose/).checked).toBe(true);
    await userEvent.click(within(panel).getByRole("button", { name: "Save" }));
    await waitFor(() =>
      expect(api.callsTo("PATCH", `/integrations/${meta.id}`)[0]?.body).toEqual({
        settings: { ad_account_ids: ["act_1", "act_2"] },
      }),
    );
  });

  it("sends null to go back to every ad account", async () => {
    const chosen = connection({ settings: { ad_account_ids: ["act_1"] } });
    const api = renderCatalogue(
      {
        [`GET ${accountsPath}`]: { body: accounts(["act_1"]) },
        [`PATCH /integrations/${meta.id}`]: { body: { data: meta } },
      },
      { connections: [chosen] },
    );
    const { panel } = await openPicker();
    await userEvent.click(await within(panel).findByRole("radio", { name: /All ad accounts/ }));
    expect(checkbox(panel, "Brand ads").checked).toBe(true);
    await userEvent.click(within(panel).getByRole("button", { name: "Save" }));
    await waitFor(() =>
      expect(api.callsTo("PATCH", `/integrations/${meta.id}`)[0]?.body).toEqual({ settings: { ad_account_ids: null } }),
    );
  });

  it("shows the server's message when Meta no longer accepts the login", async () => {
    const message = "Meta no longer accepts this connection's login. Reconnect Meta to choose ad accounts.";
    const api = renderCatalogue({
      [`GET ${accountsPath}`]: { status: 409, body: { error: { code: "conflict", message, request_id: "r" } } },
    });
    const { panel } = await openPicker();
    expect((await within(panel).findByRole("alert")).textContent).toBe(message);
    expect(within(panel).queryByRole("button", { name: "Save" })).toBeNull();
    expect(api.callsTo("PATCH", `/integrations/${meta.id}`)).toHaveLength(0);
  });

  it("offers a retry when Meta fails, then lists the accounts", async () => {
    let fail = true;
    renderCatalogue({
      [`GET ${accountsPath}`]: () =>
        fail
          ? { status: 502, body: { error: { code: "upstream", message: "Meta did not answer. Try again.", request_id: "r" } } }
          : { body: accounts() },
    });
    const { panel } = await openPicker();
    expect((await within(panel).findByRole("alert")).textContent).toContain("Meta did not answer. Try again.");
    fail = false;
    await userEvent.click(within(panel).getByRole("button", { name: "Try again" }));
    expect(await within(panel).findByRole("checkbox", { name: "Store ads" })).toBeTruthy();
  });

  it("is not offered for Shopify, for a disconnected Meta login, or to an analyst", async () => {
    const shop = connection({ id: "int_SSSSSSSSSSSSSSSSSSSSSS", provider: "shopify", external_account_id: "acme.myshopify.com" });
    const gone = connection({ id: "int_DDDDDDDDDDDDDDDDDDDDDD", status: "disconnected" });
    stubApi({
      "GET /integrations": {
        body: { data: catalogue({ facebook_ads: { connections: [gone] }, shopify: { status: "connected", connections: [shop] } }) },
      },
    });
    const { unmount } = renderWithClient(<ProviderCatalogue role="owner" timeZone="UTC" highlightId={null} />);
    expect(await screen.findByTestId(`connection-${shop.id}`)).toBeTruthy();
    expect(screen.getByTestId(`connection-${gone.id}`)).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Choose ad accounts" })).toBeNull();
    unmount();

    renderCatalogue({}, { role: "analyst" });
    expect(await screen.findByTestId(`connection-${meta.id}`)).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Choose ad accounts" })).toBeNull();
  });
});
