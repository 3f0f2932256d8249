// The /integrations page against a stubbed API: catalogue, connecting, sync now, plan limits, disconnecting, roles.
import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import axe from "axe-core";
import { beforeEach, describe, expect, it, vi } from "vitest";

import IntegrationsPage from "@/app/(dashboard)/integrations/page";
import { stubApi, type StubHandler } from "@/test/api-stub";
import { renderWithClient } from "@/test/render";

import { goToProvider } from "./navigate";
import { catalogue, connection, me } from "./test-fixtures";

const nav = vi.hoisted(() => ({ replace: vi.fn(), search: new URLSearchParams() }));

vi.mock("next/navigation", () => ({
  useRouter: () => ({ replace: nav.replace, push: vi.fn(), prefetch: vi.fn() }),
  usePathname: () => "/integrations",
  useSearchParams: () => nav.search,
}));
vi.mock("./navigate", () => ({ goToProvider: vi.fn() }));

function renderPage(routes: Record<string, StubHandler>) {
  const api = stubApi({ "GET /auth/me": { body: me() }, ...routes });
  renderWithClient(<IntegrationsPage />);
  return api;
}

async function card(provider: string) {
  return screen.findByTestId(`provider-${provider}`);
}

beforeEach(() => {
  nav.search = new URLSearchParams();
  nav.replace.mockClear();
  vi.mocked(goToProvider).mockClear();
});

describe("IntegrationsPage", () => {
  it("groups providers by category and says honestly which are coming soon", async () => {
    renderPage({ "GET /integrations": { body: { data: catalogue() } } });
    const ads = await screen.findByRole("region", { name: "Ad platforms" });
    expect(within(ads).getByTestId("provider-facebook_ads")).toBeTruthy();
    expect(within(ads).getByTestId("provider-google_ads")).toBeTruthy();
    expect(within(screen.getByRole("region", { name: "Stores" })).getByTestId("provider-shopify")).toBeTruthy();
    expect(within(screen.getByRole("region", { name: "Analytics" })).getByTestId("provider-ga4")).toBeTruthy();

    const google = await card("google_ads");
    expect(within(google).getByText("Coming soon")).toBeTruthy();
    expect(within(google).getByText(/coming soon and can't be connected yet/)).toBeTruthy();
    expect(within(google).queryByRole("button")).toBeNull();
    expect(within(await card("facebook_ads")).getByRole("button", { name: "Connect Meta Ads" })).toBeTruthy();
  });

  it("disables Connect when the server has no app credentials for the provider, and says why", async () => {
    renderPage({ "GET /integrations": { body: { data: catalogue({ facebook_ads: { configured: false } }) } } });
    const meta = await card("facebook_ads");
    const connect = within(meta).getByRole("button", { name: "Connect Meta Ads" });
    expect((connect as HTMLButtonElement).disabled).toBe(true);
    expect(connect.getAttribute("aria-describedby")).toBeTruthy();
    expect(within(meta).getByText(/no Meta Ads app credentials/).id).toBe(connect.getAttribute("aria-describedby"));
  });

  it("connects an OAuth provider by sending the browser to the URL the server returns", async () => {
    const api = renderPage({
      "GET /integrations": { body: { data: catalogue() } },
      "POST /integrations/facebook_ads/connect": { body: { url: "https://www.facebook.com/v25.0/dialog/oauth?state=s" } },
    });
    await userEvent.click(within(await card("facebook_ads")).getByRole("button", { name: "Connect Meta Ads" }));
    await waitFor(() => expect(goToProvider).toHaveBeenCalledWith("https://www.facebook.com/v25.0/dialog/oauth?state=s"));
    expect(api.callsTo("POST", "/integrations/facebook_ads/connect")[0]?.body).toEqual({});
  });

  it("checks the Shopify domain before sending it, then POSTs {shop} and goes to Shopify", async () => {
    const api = renderPage({
      "GET /integrations": { body: { data: catalogue() } },
      "POST /integrations/shopify/connect": { body: { url: "https://my-store.myshopify.com/admin/oauth/authorize?x=1" } },
    });
    const shopify = await card("shopify");
    await userEvent.click(within(shopify).getByRole("button", { name: "Connect Shopify" }));
    const input = within(shopify).getByLabelText("Shop domain");
    expect(document.activeElement).toBe(input);

    await userEvent.type(input, "my-store.com");
    await userEvent.click(within(shopify).getByRole("button", { name: "Continue to Shopify" }));
    expect(within(shopify).getByText(/Use the shop's myshopify.com domain/)).toBeTruthy();
    expect(input.getAttribute("aria-invalid")).toBe("true");
    expect(api.callsTo("POST", "/integrations/shopify/connect")).toHaveLength(0);

    await userEvent.clear(input);
    await userEvent.type(input, "https://My-Store.myshopify.com/");
    await userEvent.click(within(shopify).getByRole("button", { name: "Continue to Shopify" }));
    await waitFor(() => expect(goToProvider).toHaveBeenCalledWith("https://my-store.myshopify.com/admin/oauth/authorize?x=1"));
    expect(api.callsTo("POST", "/integrations/shopify/connect")[0]?.body).toEqual({ shop: "my-store.myshopify.com" });
  });

  it("connects WooCommerce with keys at once and shows the new connection", async () => {
    const store = connection({
      id: "int_WWWWWWWWWWWWWWWWWWWWWW",
      provider: "woocommerce",
      external_account_id: "https://shop.example.com",
      name: "https://shop.example.com",
      last_synced_at: null,
      next_sync_at: null,
    });
    let connected = false;
    const api = renderPage({
      "GET /integrations": () => ({
        body: { data: catalogue(connected ? { woocommerce: { status: "connected", connections: [store] } } : {}) },
      }),
      "POST /integrations/woocommerce/connect": () => {
        connected = true;
        return { status: 201, body: { data: store } };
      },
    });
    const woo = await card("woocommerce");
    await userEvent.click(within(woo).getByRole("button", { name: "Connect WooCommerce" }));
    await userEvent.type(within(woo).getByLabelText("Store URL"), "https://shop.example.com/");
    await userEvent.type(within(woo).getByLabelText("Consumer key"), `ck_${"a".repeat(40)}`);
    await userEvent.type(within(woo).getByLabelText("Consumer secret"), `cs_${"b".repeat(40)}`);
    await userEvent.click(within(woo).getByRole("button", { name: "Connect store" }));

    expect(await within(woo).findByTestId("connection-int_WWWWWWWWWWWWWWWWWWWWWW")).toBeTruthy();
    expect(within(woo).getByRole("status").textContent).toContain("https://shop.example.com is connected.");
    expect(api.callsTo("POST", "/integrations/woocommerce/connect")[0]?.body).toEqual({
      store_url: "https://shop.example.com",
      consumer_key: `ck_${"a".repeat(40)}`,
      consumer_secret: `cs_${"b".repeat(40)}`,
    });
    expect(goToProvider).not.toHaveBeenCalled();
  });

  it("shows the upgrade prompt when Sync now on a paused connection reaches the plan limit", async () => {
    const paused = connection({ status: "paused", paused_reason: "Not synced: the plan covers fewer connections of this kind." });
    const details = { limit: "integrations.ads", plan: "free", allowed: 1, upgrade_to: "starter", upgrade_url: "/billing" };
    const api = renderPage({
      "GET /integrations": { body: { data: catalogue({ facebook_ads: { status: "paused", connections: [paused] } }) } },
      [`POST /integrations/${paused.id}/sync`]: {
        status: 402,
        body: {
          error: {
            code: "payment_required",
            message: "Meta Ads is paused: your plan covers fewer ads connections.",
            request_id: "r",
            details,
          },
        },
      },
    });
    const row = await screen.findByTestId(`connection-${paused.id}`);
    expect(within(row).getByText("Paused")).toBeTruthy();
    expect(within(row).getByTestId("paused-notice").textContent).toContain("the plan covers fewer connections");

    await userEvent.click(within(row).getByRole("button", { name: "Sync now" }));
    const prompt = await within(row).findByRole("alert");
    expect(prompt.textContent).toContain("Meta Ads is paused: your plan covers fewer ads connections.");
    expect(within(prompt).getByRole("link", { name: "Upgrade to Starter" }).getAttribute("href")).toBe("/billing");
    expect(api.callsTo("POST", `/integrations/${paused.id}/sync`)).toHaveLength(1);
  });

  it("asks before disconnecting, and only then calls DELETE", async () => {
    const meta = connection();
    const api = renderPage({
      "GET /integrations": { body: { data: catalogue({ facebook_ads: { status: "connected", connections: [meta] } }) } },
      [`DELETE /integrations/${meta.id}`]: { body: { data: { ...meta, status: "disconnected" } } },
    });
    const row = await screen.findByTestId(`connection-${meta.id}`);
    await userEvent.click(within(row).getByRole("button", { name: "Disconnect" }));
    expect(within(row).getByText("Disconnect Ada Lovelace?")).toBeTruthy();
    expect(document.activeElement).toBe(within(row).getByRole("button", { name: "Cancel" }));

    await userEvent.click(within(row).getByRole("button", { name: "Cancel" }));
    expect(within(row).queryByText("Disconnect Ada Lovelace?")).toBeNull();
    expect(api.callsTo("DELETE", `/integrations/${meta.id}`)).toHaveLength(0);

    await userEvent.click(within(row).getByRole("button", { name: "Disconnect" }));
    await userEvent.click(within(within(row).getByRole("group")).getByRole("button", { name: "Disconnect" }));
    await waitFor(() => expect(api.callsTo("DELETE", `/integrations/${meta.id}`)).toHaveLength(1));
    await waitFor(() => expect(api.callsTo("GET", "/integrations").length).toBeGreaterThan(1));
  });

  it("shows a connection's last and next sync in the account's time zone and changes its frequency", async () => {
    const meta = connection();
    const api = renderPage({
      "GET /integrations": { body: { data: catalogue({ facebook_ads: { status: "connected", connections: [meta] } }) } },
      [`PATCH /integrations/${meta.id}`]: { body: { data: { ...meta, sync_frequency_minutes: 360 } } },
    });
    const row = await screen.findByTestId(`connection-${meta.id}`);
    expect(row.textContent).toContain("Nov 27, 2026, 9:05 AM");  // 14:05 UTC in New York
    expect(row.querySelector(`time[datetime="${meta.last_synced_at}"]`)).not.toBeNull();

    await userEvent.selectOptions(within(row).getByLabelText("Sync frequency"), "360");
    await waitFor(() => expect(api.callsTo("PATCH", `/integrations/${meta.id}`)[0]?.body).toEqual({ sync_frequency_minutes: 360 }));
  });

  it("tells a broken connection what to do and offers Reconnect instead of Sync now", async () => {
    const broken = connection({ status: "error", last_error: "Meta no longer accepts the login. Reconnect Meta." });
    const api = renderPage({
      "GET /integrations": { body: { data: catalogue({ facebook_ads: { status: "error", connections: [broken] } }) } },
      "POST /integrations/facebook_ads/connect": { body: { url: "https://www.facebook.com/dialog" } },
    });
    const row = await screen.findByTestId(`connection-${broken.id}`);
    expect(within(row).getByText("Needs attention")).toBeTruthy();
    expect(within(row).getByText("Meta no longer accepts the login. Reconnect Meta.")).toBeTruthy();
    expect(within(row).queryByRole("button", { name: "Sync now" })).toBeNull();
    await userEvent.click(within(row).getByRole("button", { name: "Reconnect" }));
    await waitFor(() => expect(goToProvider).toHaveBeenCalledWith("https://www.facebook.com/dialog"));
    expect(api.callsTo("POST", "/integrations/facebook_ads/connect")).toHaveLength(1);
  });

  it("gives a viewer no way to change anything, and says who can", async () => {
    const meta = connection();
    stubApi({
      "GET /auth/me": { body: me("viewer") },
      "GET /integrations": { body: { data: catalogue({ facebook_ads: { status: "connected", connections: [meta] } }) } },
    });
    renderWithClient(<IntegrationsPage />);
    const row = await screen.findByTestId(`connection-${meta.id}`);
    expect(within(row).queryByRole("button", { name: "Sync now" })).toBeNull();
    expect(within(row).queryByRole("button", { name: "Disconnect" })).toBeNull();
    expect(within(row).queryByLabelText("Sync frequency")).toBeNull();
    expect(within(row).getByText("Every hour")).toBeTruthy();
    const shopify = await card("shopify");
    expect((within(shopify).getByRole("button", { name: "Connect Shopify" }) as HTMLButtonElement).disabled).toBe(true);
    expect(within(shopify).getByText("Only owners and admins can connect integrations.")).toBeTruthy();
    expect(screen.getByTestId("access-note").textContent).toContain("As a viewer");
  });

  it("shows recent runs when the section is opened", async () => {
    const meta = connection();
    const api = renderPage({
      "GET /integrations": { body: { data: catalogue({ facebook_ads: { status: "connected", connections: [meta] } }) } },
      [`GET /integrations/${meta.id}/runs`]: {
        body: {
          data: [
            {
              id: "sync_BBBBBBBBBBBBBBBBBBBBBB",
              trigger: "manual",
              status: "failed",
              attempt: 2,
              rows_read: 1200,
              rows_written: 0,
              error: "Meta rate limit; retrying.",
              queued_at: "2026-11-27T14:00:00Z",
              started_at: "2026-11-27T14:00:05Z",
              finished_at: "2026-11-27T14:01:10Z",
            },
          ],
          next_before: null,
        },
      },
    });
    const row = await screen.findByTestId(`connection-${meta.id}`);
    expect(api.callsTo("GET", `/integrations/${meta.id}/runs`)).toHaveLength(0);
    const toggle = within(row).getByRole("button", { name: "Recent syncs" });
    await userEvent.click(toggle);
    expect(toggle.getAttribute("aria-expanded")).toBe("true");
    const run = await within(row).findByTestId("run-sync_BBBBBBBBBBBBBBBBBBBBBB");
    expect(run.textContent).toContain("Failed");
    expect(run.textContent).toContain("1,200 rows read");
    expect(run.textContent).toContain("took 1 min 5 s");
    expect(run.textContent).toContain("Meta rate limit; retrying.");
    expect(api.callsTo("GET", `/integrations/${meta.id}/runs`)[0]?.query.get("limit")).toBe("10");
  });

  it("shows an error with a retry when the list fails, then the catalogue", async () => {
    let fail = true;
    renderPage({
      "GET /integrations": () =>
        fail
          ? { status: 503, body: { error: { code: "unavailable", message: "The database is unavailable.", request_id: "r" } } }
          : { body: { data: catalogue() } },
    });
    expect((await screen.findByRole("alert")).textContent).toContain("The database is unavailable.");
    fail = false;
    await userEvent.click(screen.getByRole("button", { name: "Try again" }));
    expect(await card("facebook_ads")).toBeTruthy();
  });

  it("announces a finished connection from the callback and removes it from the address bar", async () => {
    const meta = connection();
    nav.search = new URLSearchParams({ provider: "facebook_ads", connected: meta.id });
    renderPage({ "GET /integrations": { body: { data: catalogue({ facebook_ads: { status: "connected", connections: [meta] } }) } } });
    const banner = await screen.findByTestId("callback-banner");
    await waitFor(() => expect(banner.textContent).toContain("Meta Ads is connected."));
    expect(nav.replace).toHaveBeenCalledWith("/integrations", { scroll: false });
    await userEvent.click(within(banner).getByRole("button", { name: "Dismiss this message" }));
    expect(screen.queryByTestId("callback-banner")).toBeNull();
  });

  it("explains a failed callback in its own words, not the link's", async () => {
    nav.search = new URLSearchParams({ provider: "shopify", error: "wrong_session", message: "Call 555-0100 to fix your account" });
    renderPage({ "GET /integrations": { body: { data: catalogue() } } });
    const banner = await screen.findByRole("alert");
    expect(banner.textContent).toContain("Finish connecting in the browser and account you started from");
    expect(banner.textContent).not.toContain("555-0100");
  });

  it("has no axe violations with every kind of connection on screen", async () => {
    const meta = connection();
    const broken = connection({ id: "int_EEEEEEEEEEEEEEEEEEEEEE", status: "error", last_error: "Reconnect Meta." });
    const paused = connection({ id: "int_PPPPPPPPPPPPPPPPPPPPPP", status: "paused", paused_reason: "Not synced." });
    renderPage({
      "GET /integrations": {
        body: { data: catalogue({ facebook_ads: { status: "error", connections: [meta, broken, paused] } }) },
      },
    });
    await screen.findByTestId(`connection-${paused.id}`);
    await userEvent.click(within(await card("shopify")).getByRole("button", { name: "Connect Shopify" }));
    const results = await axe.run(document.body, { rules: { "color-contrast": { enabled: false } } });
    expect(results.passes.length).toBeGreaterThan(0);
    expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.html).join(", ")}`)).toEqual([]);
  });
});
