// Stripe webhook signatures made by Stripe's own Node library (npm `stripe`), against the real
// server: accepted when right; a wrong secret, an altered body, a stale timestamp or no header are
// each refused with 400 and change nothing. Run by scripts/interop.sh, which sets
// STRIPE_WEBHOOK_SECRET on the server and here.
import { test } from "node:test";
import assert from "node:assert/strict";
import Stripe from "stripe";
import { api, base, sql } from "./client.mjs";

const secret = process.env.STRIPE_WEBHOOK_SECRET;
assert.ok(base && secret, "run through scripts/interop.sh");
const stripe = new Stripe("sk_test_interop_only_never_used_for_calls");

async function deliver(payload, header) {
  const headers = { "Content-Type": "application/json; charset=utf-8" };
  if (header !== undefined) headers["Stripe-Signature"] = header;
  const res = await fetch(`${base}/api/v1/billing/webhook`, { method: "POST", headers, body: payload });
  return { status: res.status, body: await res.json() };
}

function subscriptionEvent(id, accountId, status) {
  const now = Math.floor(Date.now() / 1000);
  return JSON.stringify({
    id,
    object: "event",
    api_version: "2026-08-26.dahlia",
    created: now - 5,
    livemode: false,
    pending_webhooks: 1,
    type: "customer.subscription.created",
    data: {
      object: {
        id: `sub_${id.slice(4)}`,
        object: "subscription",
        customer: `cus_${id.slice(4)}`,
        status,
        cancel_at_period_end: false,
        metadata: { account_id: accountId, plan: "growth" },
        items: { object: "list", data: [{ id: "si_1", object: "subscription_item", current_period_end: now + 2592000,
          price: { id: "price_not_configured_here", object: "price" } }] },
      },
    },
  });
}

async function freshAccount() {
  const email = `stripe-${Date.now()}-${Math.random().toString(36).slice(2)}@example.com`;
  const s = await api("POST", "/auth/signup", { email, password: "Stripe-interop-passphrase-9", account_name: "S" });
  assert.equal(s.status, 201, JSON.stringify(s.body));
  return { token: s.body.access_token, accountId: s.body.account.id };
}

async function plan(token) {
  const me = await api("GET", "/billing/me", undefined, token);
  assert.equal(me.status, 200);
  return me.body.data.plan.id;
}

test("a signature from stripe.webhooks.generateTestHeaderString is accepted and the event applied", async () => {
  const { token, accountId } = await freshAccount();
  const payload = subscriptionEvent("evt_InteropOk1", accountId, "active");
  const header = stripe.webhooks.generateTestHeaderString({ payload, secret });
  const r = await deliver(payload, header);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.handled, true);
  assert.equal(await plan(token), "growth");
  // Stripe's library agrees the header is valid for this payload, so both sides read it alike.
  assert.ok(stripe.webhooks.constructEvent(payload, header, secret));
});

test("a wrong secret, an altered body, a stale timestamp and a missing header get 400 and change nothing", async () => {
  const { token, accountId } = await freshAccount();
  const payload = subscriptionEvent("evt_InteropBad1", accountId, "active");
  const now = Math.floor(Date.now() / 1000);
  const cases = {
    "wrong secret": [payload, stripe.webhooks.generateTestHeaderString({ payload, secret: "whsec_notTheEndpoints" })],
    "altered body": [payload.replace('"active"', '"trialing"'), stripe.webhooks.generateTestHeaderString({ payload, secret })],
    "stale timestamp": [payload, stripe.webhooks.generateTestHeaderString({ payload, secret, timestamp: now - 301 })],
    "missing header": [payload, undefined],
  };
  for (const [what, [body, header]] of Object.entries(cases)) {
    const r = await deliver(body, header);
    assert.equal(r.status, 400, `${what}: ${JSON.stringify(r.body)}`);
    assert.equal(r.body.error.code, "invalid_argument", what);
  }
  assert.equal(await plan(token), "free");
  assert.equal(sql("SELECT count(*) FROM stripe_events WHERE id = :'p1'", "evt_InteropBad1"), "0");
  assert.equal(sql("SELECT count(*) FROM subscriptions WHERE stripe_subscription_id = :'p1'", "sub_InteropBad1"), "0");
});
