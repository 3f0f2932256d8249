// The n8n workflows in n8n-flows/: valid, importable workflow JSON, and their mapping Code nodes,
// run under Node.js on provider-shaped pages, produce rows the real ingest API accepts.
// Run by scripts/interop.sh (OTQ_BASE_URL points at a real server).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { api, base, sql } from "./client.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const flowsDir = join(root, "n8n-flows");
assert.ok(base, "run through scripts/interop.sh");

// Node types these flows may use, with the versions written against.
const KNOWN = {
  "n8n-nodes-base.scheduleTrigger": [1.2],
  "n8n-nodes-base.code": [2],
  "n8n-nodes-base.httpRequest": [4.2],
};
const TRIGGERS = new Set(["n8n-nodes-base.scheduleTrigger"]);

const flows = readdirSync(flowsDir).filter((f) => f.endsWith(".json"));
const load = (f) => JSON.parse(readFileSync(join(flowsDir, f), "utf8"));
const fixture = (f) => JSON.parse(readFileSync(join(flowsDir, "test", "fixtures", f), "utf8"));

// Runs a Code node's JavaScript as n8n does ("Run Once for All Items"): the body of an async
// function with $input.all() returning the incoming items.
async function runCode(node, pages) {
  const AsyncFunction = Object.getPrototypeOf(async function () {}).constructor;
  const items = pages.map((json) => ({ json }));
  const fn = new AsyncFunction("$input", node.parameters.jsCode);
  return fn({ all: () => items, first: () => items[0] });
}


async function ingestKey() {
  const email = `n8n-${Date.now()}-${Math.random().toString(36).slice(2)}@example.com`;
  const s = await api("POST", "/auth/signup", { email, password: "n8n-Flows-passphrase-7", account_name: "n8n" });
  assert.equal(s.status, 201, JSON.stringify(s.body));
  // The fixtures' dates are fixed; the Free plan shows only the last 90 days.
  sql("UPDATE accounts SET plan = 'agency' WHERE public_id = :'p1'", s.body.account.id);
  const k = await api("POST", "/api-keys", { name: "n8n", role: "ingest" }, s.body.access_token);
  assert.equal(k.status, 201, JSON.stringify(k.body));
  return { key: k.body.key, token: s.body.access_token };
}

test("the two required workflows exist", () => {
  assert.deepEqual(flows.sort(), ["facebook_ads_hourly.json", "shopify_orders_hourly.json"]);
});

for (const file of flows) {
  test(`${file} is a valid n8n workflow`, () => {
    const wf = load(file);
    assert.equal(typeof wf.name, "string");
    assert.ok(Array.isArray(wf.nodes) && wf.nodes.length > 0);
    const names = new Set(wf.nodes.map((n) => n.name));
    assert.equal(names.size, wf.nodes.length, "node names are unique");
    assert.equal(new Set(wf.nodes.map((n) => n.id)).size, wf.nodes.length, "node ids are unique");
    for (const n of wf.nodes) {
      assert.ok(KNOWN[n.type], `${n.name}: unknown node type ${n.type}`);
      assert.ok(KNOWN[n.type].includes(n.typeVersion), `${n.name}: ${n.type} version ${n.typeVersion}`);
      assert.ok(Array.isArray(n.position) && n.position.length === 2, `${n.name}: position`);
      assert.equal(typeof n.parameters, "object");
      for (const cred of Object.values(n.credentials || {})) {
        assert.deepEqual(Object.keys(cred).sort(), ["id", "name"], `${n.name}: credentials by reference only`);
      }
    }
    assert.equal(wf.nodes.filter((n) => TRIGGERS.has(n.type)).length, 1, "exactly one trigger");
    // Connections name existing nodes, and every node is reachable from the trigger.
    const next = new Map();
    for (const [from, outputs] of Object.entries(wf.connections)) {
      assert.ok(names.has(from), `connection from unknown node ${from}`);
      for (const out of outputs.main) {
        for (const c of out) {
          assert.ok(names.has(c.node), `connection to unknown node ${c.node}`);
          assert.equal(c.type, "main");
          next.set(from, [...(next.get(from) || []), c.node]);
        }
      }
    }
    const seen = new Set();
    const queue = [wf.nodes.find((n) => TRIGGERS.has(n.type)).name];
    while (queue.length) {
      const n = queue.shift();
      if (seen.has(n)) continue;
      seen.add(n);
      queue.push(...(next.get(n) || []));
    }
    assert.equal(seen.size, names.size, "every node is reachable from the trigger");
    // The hourly schedule, and the ingest call with the API key from n8n's credentials.
    const trigger = wf.nodes.find((n) => TRIGGERS.has(n.type));
    assert.deepEqual(trigger.parameters.rule.interval, [{ field: "hours", hoursInterval: 1 }]);
    const send = wf.nodes.find((n) => n.name === "Send to OmniTrackIQ");
    assert.match(send.parameters.url, /\/api\/v1\/ingest\/(ad-spend|orders)$/);
    assert.equal(send.parameters.genericAuthType, "httpHeaderAuth");
    assert.ok(!JSON.stringify(wf).includes("otq_live_"), "no API key inside the file");
  });
}

test("the workflow files embed the current src/*.js (node n8n-flows/build.mjs)", () => {
  const pairs = [["facebook_ads_hourly.json", "meta_map.js"], ["shopify_orders_hourly.json", "shopify_map.js"]];
  for (const [file, src] of pairs) {
    const node = load(file).nodes.find((n) => n.name === "Map to OmniTrackIQ rows");
    const expected = `${readFileSync(join(flowsDir, "src", "money.js"), "utf8")}\n${readFileSync(join(flowsDir, "src", src), "utf8")}`;
    assert.equal(node.parameters.jsCode, expected, `${file} is stale`);
  }
});

test("the Meta mapping turns insights pages into spend rows the ingest API accepts", async () => {
  const node = load("facebook_ads_hourly.json").nodes.find((n) => n.name === "Map to OmniTrackIQ rows");
  const batches = await runCode(node, fixture("meta_insights_pages.json"));
  assert.equal(batches.length, 1);
  const rows = batches[0].json.rows;
  assert.equal(rows.length, 3);
  assert.deepEqual(rows[0], {
    platform: "meta", ad_account_id: "act_111111111111111", campaign_id: "120200000000000001",
    campaign_name: "Prospecting - Advantage+ Shopping", date: "2026-11-01", currency: "EUR", spend: 12345,
    impressions: 18230, clicks: 412, conversions: 9, conversion_value: 61280,
  });
  assert.equal(rows[1].spend, 1, "0.005 EUR rounds half up to 1 cent");
  assert.equal(rows[1].conversions, 0, "no actions: zero, not missing");
  assert.equal(rows[2].spend, 15000, "JPY has no minor unit");

  const { key, token } = await ingestKey();
  const r = await api("POST", "/ingest/ad-spend", batches[0].json, key);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.accepted, 3);
  assert.deepEqual(r.body.rejected, []);
  // Idempotent: the next hourly run re-sends the window and changes nothing.
  const again = await api("POST", "/ingest/ad-spend", batches[0].json, key);
  assert.equal(again.body.unchanged, 3);
  const campaigns = await api("GET", "/metrics/campaigns?from=2026-11-01&to=2026-11-02", undefined, token);
  assert.equal(campaigns.status, 200);
  assert.equal(campaigns.body.data.length, 3);
});

test("the Shopify mapping turns orders pages into order rows the ingest API accepts", async () => {
  const node = load("shopify_orders_hourly.json").nodes.find((n) => n.name === "Map to OmniTrackIQ rows");
  const batches = await runCode(node, [fixture("shopify_orders_page.json")]);
  const rows = batches[0].json.rows;
  assert.equal(rows.length, 3);
  const [paid, cancelled, testOrder] = rows;
  assert.equal(paid.external_id, "5612345678901");
  assert.equal(paid.total, 11990);
  assert.equal(paid.shipping, 660);
  assert.deepEqual(paid.refunds, [{ external_id: "509562969", created_at: "2026-11-05T12:00:00-05:00", amount: 2000 }],
    "only the successful refund transaction counts");
  assert.equal(paid.customer.external_id, "7012345678901");
  assert.deepEqual(cancelled.customer, { email: "guest@example.net" }, "a guest is known by email");
  assert.equal(cancelled.cancelled_at, "2026-11-02T22:00:00+01:00");
  assert.equal(testOrder.test, true);
  assert.equal(testOrder.total, 1500);

  const { key, token } = await ingestKey();
  const r = await api("POST", "/ingest/orders", batches[0].json, key);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.accepted, 3);
  assert.deepEqual(r.body.rejected, []);
  // Cancelled and test orders are stored but not counted; the refund lands on its own day.
  const s = await api("GET", "/metrics/summary?from=2026-11-01&to=2026-11-06", undefined, token);
  assert.equal(s.status, 200);
  assert.equal(s.body.data.metrics.orders.value, 1);
  assert.equal(s.body.data.metrics.revenue.value, 11990);
  assert.equal(s.body.data.metrics.refunds.value, 2000);
  const orders = await api("GET", "/metrics/orders?from=2026-11-01&to=2026-11-06", undefined, token);
  const stored = orders.body.data.find((o) => o.number === "#1001");
  assert.equal(stored.source.channel, "facebook_ads", "utm_source=facebook from the landing page");
  assert.equal(stored.source.utm_campaign, "bfcm");
  assert.equal(stored.refunds, 2000);
});
