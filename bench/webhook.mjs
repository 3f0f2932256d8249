// Stripe webhook handling speed: signed subscription events (npm `stripe` signs them) for many
// accounts, 10% of them repeated, sent one at a time and 16 at once. Run by bench/webhook.sh.
import { createRequire } from "node:module";
import { join } from "node:path";

const require = createRequire(join(process.cwd(), "backend/tests/interop/package.json"));
const Stripe = require("stripe");
const base = process.env.OTQ_BASE_URL;
const secret = process.env.STRIPE_WEBHOOK_SECRET;
const events = Number(process.env.BENCH_EVENTS || 2000);
const accounts = Number(process.env.BENCH_ACCOUNTS || 15);
const stripe = new Stripe("sk_test_bench_only");

async function post(path, body, token) {
  const headers = { "Content-Type": "application/json" };
  if (token) headers.Authorization = `Bearer ${token}`;
  const r = await fetch(`${base}/api/v1${path}`, { method: "POST", headers, body: JSON.stringify(body) });
  return r.json();
}

const ids = [];
for (let i = 0; i < accounts; i++) {
  const s = await post("/auth/signup", { email: `bench-${i}@example.com`, password: "Bench-passphrase-42", account_name: `B${i}` });
  if (!s.account) throw new Error(`signup failed: ${JSON.stringify(s)}`);
  ids.push(s.account.id);
}

const statuses = ["active", "past_due", "active", "trialing", "active"];
let created = Math.floor(Date.now() / 1000) - 3600;
function payload(n, run) {
  const account = n % accounts;
  return JSON.stringify({
    id: `evt_bench_${run}_${n}`, object: "event", api_version: "2026-08-26.dahlia", created: created + n,
    type: n < accounts ? "customer.subscription.created" : "customer.subscription.updated", livemode: false,
    data: { object: {
      id: `sub_bench_${run}_${account}`, object: "subscription", customer: `cus_bench_${run}_${account}`,
      status: statuses[n % statuses.length], cancel_at_period_end: false,
      metadata: { account_id: ids[account], plan: n % 3 === 0 ? "agency" : "growth" },
      items: { object: "list", data: [{ id: "si_1", current_period_end: created + 2592000, price: { id: "price_unlisted" } }] },
    } },
  });
}

async function deliver(body) {
  const header = stripe.webhooks.generateTestHeaderString({ payload: body, secret });
  const t = performance.now();
  const r = await fetch(`${base}/api/v1/billing/webhook`, {
    method: "POST", headers: { "Content-Type": "application/json", "Stripe-Signature": header }, body,
  });
  await r.text();
  if (r.status !== 200) throw new Error(`HTTP ${r.status}`);
  return performance.now() - t;
}

const pct = (xs, p) => xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))].toFixed(1);

for (const [run, concurrency] of [["seq", 1], ["par", 16]]) {
  const bodies = [];
  for (let n = 0; n < events; n++) {
    bodies.push(payload(n, run));
    if (n % 10 === 9) bodies.push(payload(n, run));  // Stripe delivers some twice
  }
  const times = [];
  let next = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < bodies.length) times.push(await deliver(bodies[next++]));
  }));
  const seconds = (performance.now() - t0) / 1000;
  times.sort((a, b) => a - b);
  console.log(`${concurrency} at a time: ${bodies.length} deliveries (${events} events, ${accounts} accounts) in ` +
    `${seconds.toFixed(1)} s = ${(bodies.length / seconds).toFixed(0)}/s; latency ms p50 ${pct(times, 50)} ` +
    `p95 ${pct(times, 95)} p99 ${pct(times, 99)} max ${times[times.length - 1].toFixed(1)}`);
}
