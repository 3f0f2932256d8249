// Shared by the browser suites: Debian's Chromium, named checks, pages that record console errors
// and failed requests, screenshots, and axe-core scans.
import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

import { chromium } from "playwright-core";

export const CHROMIUM_PATH = "/usr/bin/chromium";
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-quic",
  "--no-first-run",
];
export const TIMEOUT_MS = 15_000;
export const SCREENSHOT_DIR = fileURLToPath(new URL("./screenshots/", import.meta.url));
const AXE_SOURCE = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

/** The server under test, from OTQ_BASE_URL; exits with usage help when it is missing. */
export function baseUrlFromEnv(script) {
  const baseUrl = process.env.OTQ_BASE_URL;
  if (!baseUrl) {
    console.error(`OTQ_BASE_URL is required, e.g. OTQ_BASE_URL=http://127.0.0.1:8080 node e2e/${script}`);
    process.exit(2);
  }
  if (!existsSync(CHROMIUM_PATH)) {
    console.error(`${CHROMIUM_PATH} not found; install it with: apt-get install -y chromium`);
    process.exit(2);
  }
  return baseUrl;
}

export function launch() {
  // launch() gives every run a fresh temporary profile of its own, removed on close.
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
}

export function assert(condition, message) {
  if (!condition) throw new Error(message);
}

/** Named checks: each failure is reported with its reason, and the run goes on. */
export function createSuite() {
  const results = [];
  const finish = (error) => {
    if (error) {
      results.push({ name: "run", ok: false });
      console.log(`FAIL - run: ${error instanceof Error ? error.message : String(error)}`);
    }
    const passed = results.filter((r) => r.ok).length;
    console.log(`${passed} passed, ${results.length - passed} failed`);
    process.exit(results.length > 0 && passed === results.length ? 0 : 1);
  };
  return {
    async check(name, fn) {
      try {
        await fn();
        results.push({ name, ok: true });
        console.log(`ok   - ${name}`);
      } catch (error) {
        const reason = error instanceof Error ? error.message.split("\n")[0] : String(error);
        results.push({ name, ok: false });
        console.log(`FAIL - ${name}: ${reason}`);
      }
    },
    /** Runs the suite's body, then prints the tally and exits 0 only when every check passed. */
    async run(main) {
      try {
        await main();
        finish();
      } catch (error) {
        finish(error);
      }
    },
  };
}

/** Opens a page that records console errors, uncaught exceptions and failed same-origin requests. */
export async function watchedPage(context, origin) {
  const page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT_MS);
  const problems = { consoleErrors: [], failedRequests: [] };
  page.on("console", (msg) => {
    if (msg.type() === "error") problems.consoleErrors.push(msg.text());
  });
  page.on("pageerror", (error) => problems.consoleErrors.push(`uncaught: ${error.message}`));
  // Chromium reports a fetch whose body nobody reads (Next's HEAD probe before a prefetch) as
  // ERR_ABORTED after its response arrived; such a request is judged by its status below instead.
  const answered = new WeakSet();
  page.on("requestfailed", (request) => {
    if (answered.has(request)) return;
    problems.failedRequests.push(`${request.method()} ${request.url()}: ${request.failure()?.errorText ?? "failed"}`);
  });
  page.on("response", (response) => {
    answered.add(response.request());
    if (response.status() >= 400 && response.url().startsWith(origin)) {
      problems.failedRequests.push(`${response.request().method()} ${response.url()}: HTTP ${response.status()}`);
    }
  });
  return { page, problems };
}

export async function screenshot(page, name) {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: `${SCREENSHOT_DIR}${name}.png`, fullPage: true });
}

/**
 * Runs axe-core (WCAG 2.0-2.2 A/AA and best practices) on the page as it is now and returns the
 * serious and critical violations as readable lines.
 */
export async function axeViolations(page) {
  if (!(await page.evaluate(() => "axe" in window))) await page.addScriptTag({ path: AXE_SOURCE });
  const violations = await page.evaluate(async () => {
    const result = await window.axe.run(document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"] },
      resultTypes: ["violations"],
    });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.slice(0, 3).map((n) => n.target.join(" ")),
    }));
  });
  return violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.targets.join(", ")}`);
}

/** Fails when the page is wider than the viewport (wide tables must scroll inside their own box). */
export async function assertFitsWidth(page) {
  const { scrollWidth, clientWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
  }));
  assert(scrollWidth <= clientWidth, `content is ${scrollWidth}px wide in a ${clientWidth}px viewport`);
}
