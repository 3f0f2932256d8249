// The signed-in app in headless Chromium on seeded demo data (`omnitrackiq seed-demo`): figures
// follow the date range, campaigns sort and search, orders filter and export, the time zone
// setting changes the reporting day, accounts switch; axe-core on every page, a screenshot each.
//   OTQ_BASE_URL=... OTQ_DEMO_EMAIL=... OTQ_DEMO_PASSWORD=... node e2e/app.mjs
import { assert, assertFitsWidth, axeViolations, baseUrlFromEnv, createSuite, launch, screenshot, watchedPage } from "./lib.mjs";

const baseUrl = baseUrlFromEnv("app.mjs");
const origin = new URL(baseUrl).origin;
const url = (path) => new URL(path, baseUrl).href;
const email = process.env.OTQ_DEMO_EMAIL ?? "demo@omnitrackiq.test";
const password = process.env.OTQ_DEMO_PASSWORD;
if (!password) {
  console.error("OTQ_DEMO_PASSWORD is required (the password given to seed-demo)");
  process.exit(2);
}
const { check, run } = createSuite();

/** "$12,345.67" → 1234567 (minor units); "1,234" → 1234. */
const numberIn = (text) => Number((text ?? "").replace(/[^0-9.-]/g, ""));

async function axeCheck(page, name) {
  await check(`axe: no serious or critical violations on ${name}`, async () => {
    const found = await axeViolations(page);
    assert(found.length === 0, found.join(" | "));
  });
}

async function columnValues(page, column) {
  return page
    .getByTestId("campaign-row")
    .locator(`td[data-column="${column}"]`)
    .evaluateAll((cells) => cells.map((c) => Number((c.textContent ?? "").replace(/[^0-9.-]/g, ""))));
}

/** Waits until the table's column is in the given order (the previous page stays up while loading). */
async function waitSorted(page, column, order) {
  await page.waitForFunction(
    ([col, dir]) => {
      const cells = [...document.querySelectorAll(`[data-testid="campaign-row"] td[data-column="${col}"]`)];
      const v = cells.map((c) => Number((c.textContent ?? "").replace(/[^0-9.-]/g, "")));
      return v.length > 1 && v.every((x, i) => i === 0 || (dir === "asc" ? v[i - 1] <= x : v[i - 1] >= x));
    },
    [column, order],
  );
  const values = await columnValues(page, column);
  const sorted = [...values].sort((a, b) => (order === "asc" ? a - b : b - a));
  assert(values.join() === sorted.join(), `${column} not ${order}: ${values}`);
}

async function main() {
  const browser = await launch();
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    const { page, problems } = await watchedPage(context, origin);
    const nav = (label) => page.getByRole("navigation", { name: "Dashboard" }).getByRole("link", { name: label });

    await check("the demo login lands on the overview with figures, charts and top campaigns", async () => {
      await page.goto(url("/login"));
      await page.getByLabel("Email").fill(email);
      await page.getByLabel("Password").fill(password);
      await page.getByRole("button", { name: "Log in" }).click();
      await page.waitForURL((u) => u.pathname === "/dashboard");
      const revenue = page.getByTestId("kpi-revenue").locator("dd").first();
      await revenue.filter({ hasText: /\$[1-9]/ }).waitFor();
      await page.getByTestId("kpi-orders").locator("dd").first().filter({ hasText: /[1-9]/ }).waitFor();
      await page.getByTestId("revenue-spend-chart").locator("svg.recharts-surface").first().waitFor();
      await page.getByTestId("channel-facebook_ads").waitFor();
      const top = await page.getByTestId("top-campaigns").locator("tbody tr").count();
      assert(top === 5, `${top} top campaigns`);
    });
    await axeCheck(page, "/dashboard");
    await screenshot(page, "overview");

    await check("keyboard: the first Tab reaches the skip link, then the sidebar in order", async () => {
      await page.goto(url("/dashboard"));
      await page.getByTestId("kpi-revenue").waitFor();
      await page.keyboard.press("Tab");
      const first = await page.evaluate(() => document.activeElement?.textContent?.trim());
      assert(first === "Skip to content", `first Tab on "${first}"`);
      const seen = [];
      for (let i = 0; i < 8; i += 1) {
        await page.keyboard.press("Tab");
        seen.push(await page.evaluate(() => document.activeElement?.textContent?.trim()));
      }
      const order = ["Overview", "Campaigns", "Orders", "Integrations", "Billing", "Settings"].map((l) => seen.indexOf(l));
      assert(order.every((i, k) => i >= 0 && (k === 0 || i > order[k - 1])), `tab order ${seen.join(" > ")}`);
    });

    await check("a metric's formula shows on keyboard focus", async () => {
      await page.getByRole("button", { name: "How MER is calculated" }).focus();
      await page.getByTestId("definition-mer").filter({ hasText: "net_revenue / spend" }).waitFor({ state: "visible" });
    });

    await check("changing the range changes the URL and the figures", async () => {
      const revenue = page.getByTestId("kpi-revenue").locator("dd").first();
      const before = await revenue.textContent();
      await page.getByLabel("Range", { exact: true }).selectOption("last_7_days");
      await page.waitForURL((u) => u.searchParams.get("range") === "last_7_days");
      await revenue.filter({ hasNotText: before ?? "" }).waitFor();
      const after = await revenue.textContent();
      assert(numberIn(after) < numberIn(before), `7 days (${after}) is not less than 30 days (${before})`);
      await page.getByRole("button", { name: "Weekly" }).click();
      await page.getByRole("button", { name: "Weekly", pressed: true }).waitFor();
    });

    await check("campaigns sort by a column both ways, search and total", async () => {
      await nav("Campaigns").click();
      await page.waitForURL((u) => u.pathname === "/campaigns");
      await page.getByTestId("campaign-row").first().waitFor();
      await waitSorted(page, "spend", "desc");
      await page.getByRole("button", { name: /^Clicks/ }).click();
      await page.waitForURL((u) => u.searchParams.get("sort") === "clicks" && u.searchParams.get("order") === "desc");
      await page.getByRole("columnheader", { name: /Clicks/ }).and(page.locator('[aria-sort="descending"]')).waitFor();
      await waitSorted(page, "clicks", "desc");
      await page.getByRole("button", { name: /^Clicks/ }).click();
      await page.waitForURL((u) => u.searchParams.get("order") === "asc");
      await page.locator('[aria-sort="ascending"]').waitFor();
      await waitSorted(page, "clicks", "asc");
      await page.getByLabel("Search campaigns").fill("Retargeting");
      await page.waitForURL((u) => u.searchParams.get("q") === "Retargeting");
      await page.waitForFunction(() =>
        [...document.querySelectorAll('[data-testid="campaign-row"] th')].every((c) => c.textContent?.includes("Retargeting")),
      );
      await page.getByTestId("campaigns-totals").filter({ hasText: /Total · [1-9]\d* campaigns?/ }).waitFor();
    });
    await axeCheck(page, "/campaigns");
    await screenshot(page, "campaigns");

    await check("campaigns download as CSV with one line per campaign", async () => {
      const rows = await page.getByTestId("campaign-row").count();
      const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download CSV" }).click()]);
      const path = await download.path();
      const { readFile } = await import("node:fs/promises");
      const lines = (await readFile(path, "utf8")).trimEnd().split("\r\n");
      assert(lines[0]?.startsWith("platform,ad_account_id,campaign_id,name,currency,spend"), `header ${lines[0]}`);
      assert(lines.length - 1 === rows, `${lines.length - 1} CSV rows for ${rows} table rows`);
    });

    await check("orders filter by status in the URL, and export that filter as CSV", async () => {
      await nav("Orders").click();
      await page.waitForURL((u) => u.pathname === "/orders");
      await page.getByTestId("order-row").first().waitFor();
      await page.getByRole("group", { name: "Status" }).getByRole("button", { name: "Refunded", exact: true }).click();
      await page.waitForURL((u) => u.searchParams.get("status") === "refunded");
      await page.waitForFunction(() => {
        const rows = [...document.querySelectorAll('[data-testid="order-row"]')];
        return rows.length > 0 && rows.every((r) => r.getAttribute("data-status") === "refunded");
      });
      const href = await page.getByRole("link", { name: "Export CSV" }).getAttribute("href");
      assert(href?.includes("status=refunded"), `export link ${href}`);
      const response = await page.request.get(url(href));
      assert(response.status() === 200, `CSV status ${response.status()}`);
      assert((response.headers()["content-type"] ?? "").startsWith("text/csv"), `CSV type ${response.headers()["content-type"]}`);
      const body = await response.text();
      assert(body.split("\n").length > 1, "the CSV has no rows");
    });
    await axeCheck(page, "/orders");
    await screenshot(page, "orders");

    await check("integrations list every provider, with the unbuilt ones marked coming soon", async () => {
      await nav("Integrations").click();
      await page.waitForURL((u) => u.pathname === "/integrations");
      for (const p of ["facebook_ads", "shopify", "google_ads", "tiktok_ads", "ga4", "woocommerce"]) {
        await page.getByTestId(`provider-${p}`).waitFor();
      }
      await page.getByTestId("provider-google_ads").filter({ hasText: "Coming soon" }).waitFor();
    });
    await axeCheck(page, "/integrations");
    await screenshot(page, "integrations");

    await check("billing shows the account's plan", async () => {
      await nav("Billing").click();
      await page.getByTestId("current-plan").filter({ hasText: "Agency" }).waitFor();
    });
    await axeCheck(page, "/billing");
    await screenshot(page, "billing-agency");

    await check("settings: a new time zone is saved and the overview reports in it", async () => {
      await nav("Settings").click();
      await page.waitForURL((u) => u.pathname === "/settings");
      const zone = page.getByTestId("account-timezone");
      const target = (await zone.inputValue()) === "Europe/Berlin" ? "Asia/Tokyo" : "Europe/Berlin";
      await zone.selectOption(target);
      await page.getByTestId("account-save").click();
      await page.getByText("Saved", { exact: true }).waitFor();
      await nav("Overview").click();
      await page.getByTestId("period").filter({ hasText: `(${target})` }).waitFor();
    });
    await page.goto(url("/settings"));
    await page.getByTestId("account-timezone").waitFor();

    await check("settings: the owner downloads the account's archive, every table in it", async () => {
      const [download] = await Promise.all([
        page.waitForEvent("download"),
        page.getByRole("button", { name: "Download all data" }).click(),
      ]);
      assert(/^omnitrackiq-acct_[0-9A-Za-z]{22}-\d{8}\.tar\.gz$/.test(download.suggestedFilename()), download.suggestedFilename());
      const { execFileSync } = await import("node:child_process");
      const names = execFileSync("tar", ["-tzf", await download.path()], { encoding: "utf8" }).trim().split("\n");
      for (const name of ["account.json", "manifest.json", "orders-0001.csv", "ad_spend-0001.csv", "customers-0001.csv"]) {
        assert(names.includes(name), `${name} missing from ${names.join(" ")}`);
      }
      await page.getByText(/^Downloaded omnitrackiq-/).waitFor();
    });
    await axeCheck(page, "/settings");
    await screenshot(page, "settings");

    await check("the account switcher changes the account and its figures", async () => {
      await page.goto(url("/dashboard"));
      const revenue = page.getByTestId("kpi-revenue").locator("dd").first();
      await revenue.filter({ hasText: /\$[1-9]/ }).waitFor();
      const before = await revenue.textContent();
      const switcher = page.getByTestId("account-switcher");
      const other = await switcher.locator("option", { hasNotText: "Northwind" }).first().getAttribute("value");
      await switcher.selectOption(other);
      await revenue.filter({ hasNotText: before ?? "" }).waitFor();
      const chosen = await switcher.inputValue();
      assert(chosen === other, `switcher shows ${chosen}`);
    });

    await check("logout is in the user menu; afterwards /campaigns asks to log in", async () => {
      await page.getByTestId("user-menu").click();
      await page.getByRole("button", { name: "Log out" }).click();
      await page.waitForURL((u) => u.pathname === "/login");
      await page.goto(url("/campaigns?sort=clicks"));
      await page.waitForURL((u) => u.pathname === "/login" && u.searchParams.get("next") === "/campaigns?sort=clicks");
    });

    const unexpected = problems.failedRequests.filter((r) => !/auth\/me: HTTP 401/.test(r) && !r.endsWith("net::ERR_ABORTED"));
    await check("no console errors or unexpected failed requests", async () => {
      const errors = problems.consoleErrors.filter((e) => !/401/.test(e));
      assert(errors.length === 0, errors.join(" | "));
      assert(unexpected.length === 0, unexpected.join(" | "));
    });
    await context.close();

    // A phone: every page fits its width (wide tables scroll inside their own box).
    const phone = await browser.newContext({ viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true });
    const mobile = await phone.newPage();
    await mobile.goto(url("/login"));
    await mobile.getByLabel("Email").fill(email);
    await mobile.getByLabel("Password").fill(password);
    await mobile.getByRole("button", { name: "Log in" }).click();
    await mobile.waitForURL((u) => u.pathname === "/dashboard");
    for (const path of ["/dashboard", "/campaigns", "/orders", "/integrations", "/billing", "/settings"]) {
      await check(`${path} fits a 375px phone`, async () => {
        await mobile.goto(url(path), { waitUntil: "networkidle" });
        await mobile.locator("main h1").first().waitFor();
        await assertFitsWidth(mobile);
      });
    }
    await screenshot(mobile, "settings-phone");
    await mobile.goto(url("/dashboard"), { waitUntil: "networkidle" });
    await screenshot(mobile, "overview-phone");
    await phone.close();
  } finally {
    await browser.close();
  }
}

await run(main);
