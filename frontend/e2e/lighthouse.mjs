// Lighthouse on the public pages in Debian's Chromium, against the thresholds the product holds:
// performance >= 90, accessibility >= 95, best practices >= 95, SEO >= 90 (mobile emulation and
// simulated throttling, Lighthouse's defaults). Performance varies from run to run, so every page
// is measured several times and judged by the median (five runs for the homepage, as Lighthouse CI
// recommends; three for /login, whose scores spread less, to keep make test short). A median under
// the target is confirmed before it fails the gate: the page is measured as many times again and
// judged by the median of all runs, so one unlucky set on a busy 2-core machine does not fail a
// build while a real regression still does. A run Lighthouse itself reports as failed
// (runtimeError) is measured again. Reports go to e2e/lighthouse/.
//   OTQ_BASE_URL=http://127.0.0.1:8080 node e2e/lighthouse.mjs
import { mkdir, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";

import * as chromeLauncher from "chrome-launcher";
import lighthouse from "lighthouse";

import { baseUrlFromEnv, CHROMIUM_ARGS, CHROMIUM_PATH, createSuite } from "./lib.mjs";

const baseUrl = baseUrlFromEnv("lighthouse.mjs");
const REPORT_DIR = fileURLToPath(new URL("./lighthouse/", import.meta.url));
const PAGES = ["/", "/login"];
const THRESHOLDS = { performance: 90, accessibility: 95, "best-practices": 95, seo: 90 };
const RUNS = { "/": 5, "/login": 3 };
const { check, run } = createSuite();

async function audit(port, url) {
  const result = await lighthouse(url, {
    port,
    output: ["html", "json"],
    logLevel: "error",
    onlyCategories: Object.keys(THRESHOLDS),
  });
  if (!result) throw new Error(`Lighthouse returned nothing for ${url}`);
  if (result.lhr.runtimeError) return null;
  const scores = Object.fromEntries(
    Object.keys(THRESHOLDS).map((k) => [k, Math.round((result.lhr.categories[k]?.score ?? 0) * 100)]),
  );
  return { scores, report: result.report, lhr: result.lhr };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main() {
  await mkdir(REPORT_DIR, { recursive: true });
  const chrome = await chromeLauncher.launch({ chromePath: CHROMIUM_PATH, chromeFlags: CHROMIUM_ARGS });
  const summary = [];
  try {
    for (const path of PAGES) {
      const url = new URL(path, baseUrl).href;
      const runs = [];
      const measure = async (wanted) => {
        for (let attempt = 0; runs.length < wanted && attempt < wanted + 2; attempt += 1) {
          const run = await audit(chrome.port, url);
          if (run) runs.push(run);
        }
        if (runs.length < wanted) throw new Error(`Lighthouse failed to measure ${url} ${wanted} times`);
      };
      await measure(RUNS[path]);
      const first = median(runs.map((r) => r.scores.performance));
      if (first < THRESHOLDS.performance) {
        console.log(`${path}: performance median ${first} under ${THRESHOLDS.performance}; measuring again`);
        await measure(2 * RUNS[path] + 1);  // an odd count: the median is one of the runs
      }
      const scores = { ...runs[0].scores, performance: median(runs.map((r) => r.scores.performance)) };
      const name = path === "/" ? "home" : path.slice(1).replaceAll("/", "-");
      const [html, json] = runs[0].report;
      await writeFile(`${REPORT_DIR}${name}.html`, html);
      await writeFile(`${REPORT_DIR}${name}.json`, json);
      const metrics = runs[0].lhr.audits;
      summary.push({
        page: path,
        ...scores,
        runs: runs.map((r) => r.scores.performance).join("/"),
        lcp_ms: Math.round(metrics["largest-contentful-paint"]?.numericValue ?? 0),
        tbt_ms: Math.round(metrics["total-blocking-time"]?.numericValue ?? 0),
        cls: Number((metrics["cumulative-layout-shift"]?.numericValue ?? 0).toFixed(3)),
      });
      for (const [category, target] of Object.entries(THRESHOLDS)) {
        await check(`${path}: ${category} ${scores[category]} >= ${target}`, async () => {
          if (scores[category] < target) {
            const failing = Object.values(runs[0].lhr.audits)
              .filter((a) => a.score !== null && a.score < 0.5 && a.scoreDisplayMode !== "informative")
              .map((a) => a.id)
              .slice(0, 8);
            throw new Error(`scored ${scores[category]}; weakest audits: ${failing.join(", ")}`);
          }
        });
      }
    }
  } finally {
    chrome.kill();
  }
  console.log(`lighthouse: ${JSON.stringify(summary)}`);
  await writeFile(`${REPORT_DIR}summary.json`, `${JSON.stringify(summary, null, 2)}\n`);
}

await run(main);
