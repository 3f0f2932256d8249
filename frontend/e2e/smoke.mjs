// Smoke test of the built site in headless Chromium against a running server (the C++ server or any
// server of out/ that answers /api/v1/health). Usage: OTQ_BASE_URL=http://127.0.0.1:8080 npm run test:e2e
import { assert, assertFitsWidth, axeViolations, baseUrlFromEnv, createSuite, launch, screenshot, TIMEOUT_MS, watchedPage } from "./lib.mjs";

const baseUrl = baseUrlFromEnv("smoke.mjs");
const origin = new URL(baseUrl).origin;
const url = (path) => new URL(path, baseUrl).href;
const { check, run } = createSuite();

async function main() {
  const browser = await launch();
  const problems = { consoleErrors: [], failedRequests: [] };
  try {
    // Desktop: content, API status, keyboard access.
    const desktop = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const home = await watchedPage(desktop, origin);

    await check("GET / answers 200", async () => {
      const response = await home.page.goto(url("/"), { waitUntil: "domcontentloaded" });
      assert(response?.status() === 200, `status ${response?.status()}`);
    });
    await check("hero heading is shown", async () => {
      await home.page.getByRole("heading", { level: 1, name: /all your ad spend and orders/i }).waitFor();
    });
    await check('status badge reads "API online"', async () => {
      const badge = home.page.getByTestId("api-status");
      try {
        await badge.filter({ hasText: /API online v\S+/ }).waitFor();
      } catch {
        throw new Error(`badge reads "${(await badge.textContent())?.trim()}"`);
      }
    });
    await check('"Log in" and "Start free" link to /login and /signup', async () => {
      const nav = home.page.getByRole("navigation", { name: "Account" });
      const login = await nav.getByRole("link", { name: "Log in" }).getAttribute("href");
      const signup = await nav.getByRole("link", { name: "Start free" }).getAttribute("href");
      assert(login === "/login" && signup === "/signup", `hrefs ${login}, ${signup}`);
    });
    await check("first Tab focuses the skip link, which moves focus to the main content", async () => {
      await home.page.keyboard.press("Tab");
      const focused = await home.page.evaluate(() => document.activeElement?.textContent?.trim());
      assert(focused === "Skip to content", `focused "${focused}"`);
      await home.page.keyboard.press("Enter");
      const target = await home.page.evaluate(() => document.activeElement?.id);
      assert(target === "main-content", `focus on "#${target}"`);
    });
    await check("pricing lists the server's plans, monthly and yearly", async () => {
      const growth = home.page.getByTestId("plan-growth");
      await growth.filter({ hasText: "$149" }).waitFor();
      await home.page.getByTestId("plan-free").filter({ hasText: "$0" }).waitFor();
      await home.page.getByTestId("plan-agency").waitFor();
      await home.page.getByRole("group", { name: "Billing interval" }).getByRole("button", { name: "Yearly" }).click();
      await growth.filter({ hasText: "$1,490" }).waitFor();
      const href = await growth.getByRole("link", { name: "Start with Growth" }).getAttribute("href");
      assert(href === "/signup", `href ${href}`);
    });
    await check("axe: no serious or critical violations on /", async () => {
      const found = await axeViolations(home.page);
      assert(found.length === 0, found.join(" | "));
    });
    await screenshot(home.page, "home");
    // Let late requests (the health call, route prefetches) settle before judging them.
    await home.page.waitForLoadState("networkidle").catch(() => {});
    problems.consoleErrors.push(...home.problems.consoleErrors);
    problems.failedRequests.push(...home.problems.failedRequests);
    await desktop.close();

    // Phone: the layout fits the width.
    const phone = await browser.newContext({ viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true });
    const mobile = await watchedPage(phone, origin);
    await check("on a 375px phone the page has no horizontal scroll", async () => {
      await mobile.page.goto(url("/"), { waitUntil: "networkidle" });
      await assertFitsWidth(mobile.page);
    });
    await screenshot(mobile.page, "home-phone");
    problems.consoleErrors.push(...mobile.problems.consoleErrors);
    problems.failedRequests.push(...mobile.problems.failedRequests);
    await phone.close();

    await check("no console errors on /", async () => {
      assert(problems.consoleErrors.length === 0, problems.consoleErrors.join(" | "));
    });
    await check("no failed requests on /", async () => {
      assert(problems.failedRequests.length === 0, problems.failedRequests.join(" | "));
    });

    // The signed-in app: signup lands on the overview, billing shows the Free plan, logging out
    // locks the dashboard again.
    const app = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const user = await watchedPage(app, origin);
    const email = `e2e-${Date.now()}@example.com`;
    await check("a logged-out visit to /dashboard goes to /login?next=/dashboard", async () => {
      await user.page.goto(url("/dashboard"));
      await user.page.waitForURL((u) => u.pathname === "/login" && u.searchParams.get("next") === "/dashboard");
    });
    await check("signup shows inline errors, then lands on the overview with KPI cards", async () => {
      await user.page.goto(url("/signup"));
      await user.page.getByRole("button", { name: "Start free" }).click();
      await user.page.getByText("Name your store or agency.").waitFor();
      await user.page.getByText("Enter your email address.").waitFor();
      await user.page.getByLabel("Store or agency name").fill("E2E Store");
      await user.page.getByLabel("Work email").fill(email);
      await user.page.getByLabel("Password").fill("e2e-Passphrase-horse-42");
      await user.page.getByRole("button", { name: "Start free" }).click();
      await user.page.waitForURL((u) => u.pathname === "/dashboard");
      await user.page.getByTestId("account-name").filter({ hasText: "E2E Store" }).waitFor();
      await user.page.getByTestId("kpi-revenue").filter({ hasText: "$0.00" }).waitFor();
      await user.page.getByTestId("kpi-roas").waitFor();
    });
    await check("the date range lives in the URL: a preset, a custom range, compare off", async () => {
      const period = user.page.getByTestId("period");
      const before = await period.textContent();
      await user.page.getByLabel("Range", { exact: true }).selectOption("last_7_days");
      await user.page.waitForURL((u) => u.searchParams.get("range") === "last_7_days");
      await period.filter({ hasNotText: before ?? "" }).waitFor();
      // Ten days, a month back (inside the Free plan's 90 days, with the ten before them).
      const day = (n) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);
      const [from, to, prevFrom, prevTo] = [day(40), day(31), day(50), day(41)];
      await user.page.getByLabel("Range", { exact: true }).selectOption("custom");
      await user.page.getByLabel("From", { exact: true }).fill(from);
      await user.page.getByLabel("To", { exact: true }).fill(to);
      await user.page.getByRole("button", { name: "Apply" }).click();
      await user.page.waitForURL((u) => u.searchParams.get("from") === from && u.searchParams.get("to") === to);
      await period.filter({ hasText: `${from} to ${to}` }).waitFor();
      await period.filter({ hasText: `compared with ${prevFrom} to ${prevTo}` }).waitFor();
      await user.page.getByLabel("Compare to previous period").click();
      await user.page.waitForURL((u) => u.searchParams.get("compare") === "none");
      await period.filter({ hasNotText: "compared" }).waitFor();
      // The shared link opens the same view.
      await user.page.reload();
      await period.filter({ hasText: `${from} to ${to}` }).waitFor();
      assert(!(await user.page.getByLabel("Compare to previous period").isChecked()), "compare came back on");
    });
    await screenshot(user.page, "overview-new-account");
    await check("billing shows the Free plan, its limits and the paid plans", async () => {
      await user.page.getByRole("navigation", { name: "Dashboard" }).getByRole("link", { name: "Billing" }).click();
      await user.page.getByTestId("current-plan").filter({ hasText: "Free" }).waitFor();
      await user.page.getByText("1 of 1").or(user.page.getByText("0 of 1")).first().waitFor();
      await user.page.getByTestId("choose-growth").filter({ hasText: "$149" }).waitFor();
    });
    await screenshot(user.page, "billing");
    await check("logging out, then back to /billing, asks to log in; logging in returns there", async () => {
      await user.page.getByTestId("user-menu").click();
      await user.page.getByRole("button", { name: "Log out" }).click();
      await user.page.waitForURL((u) => u.pathname === "/login");
      await user.page.goto(url("/billing"));
      await user.page.waitForURL((u) => u.pathname === "/login" && u.searchParams.get("next") === "/billing");
      await user.page.getByLabel("Email").fill(email);
      await user.page.getByLabel("Password").fill("not-the-password-1");
      await user.page.getByRole("button", { name: "Log in" }).click();
      await user.page.getByRole("alert").filter({ hasText: /password/i }).waitFor();
      await user.page.getByLabel("Password").fill("e2e-Passphrase-horse-42");
      await user.page.getByRole("button", { name: "Log in" }).click();
      await user.page.waitForURL((u) => u.pathname === "/billing");
    });
    // Expected: the 401 of /auth/me while logged out, the refused login, and requests a navigation
    // cancelled (ERR_ABORTED). Anything else is not.
    const unexpected = user.problems.failedRequests.filter(
      (r) => !/auth\/(me|login): HTTP 401/.test(r) && !r.endsWith("net::ERR_ABORTED"),
    );
    await check("no console errors or unexpected failed requests in the app", async () => {
      const errors = user.problems.consoleErrors.filter((e) => !/401/.test(e));
      assert(errors.length === 0, errors.join(" | "));
      assert(unexpected.length === 0, unexpected.join(" | "));
    });
    await app.close();

    // Unknown path: the export's 404 page with a 404 status (its own console line about the 404 is expected).
    const other = await browser.newContext();
    await check("GET /does-not-exist answers 404 with the not-found page", async () => {
      const page = await other.newPage();
      page.setDefaultTimeout(TIMEOUT_MS);
      const response = await page.goto(url("/does-not-exist"), { waitUntil: "domcontentloaded" });
      assert(response?.status() === 404, `status ${response?.status()}`);
      await page.getByRole("heading", { level: 1, name: "Page not found" }).waitFor();
    });
    for (const path of ["/login", "/signup", "/does-not-exist"]) {
      await check(`axe: no serious or critical violations on ${path}`, async () => {
        const page = await other.newPage();
        page.setDefaultTimeout(TIMEOUT_MS);
        await page.goto(url(path), { waitUntil: "networkidle" });
        const found = await axeViolations(page);
        await screenshot(page, path === "/does-not-exist" ? "not-found" : path.slice(1));
        await page.close();
        assert(found.length === 0, found.join(" | "));
      });
    }
    await other.close();
  } finally {
    await browser.close();
  }
}

await run(main);
