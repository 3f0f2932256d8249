// Shopify Admin REST orders pages -> OmniTrackIQ order rows (POST /api/v1/ingest/orders).
// Input: one item per orders.json page ({orders: [...]}). Output: batches {rows: [...]}.
// Revenue uses total_price (checkout) in the shop currency; refunds come separately with their
// own dates: the successful `refund` transactions of each refund.
const BATCH = 1000;

function shopMoney(set, fallback) {
  return set && set.shop_money ? set.shop_money.amount : fallback;
}

const rows = [];
for (const item of $input.all()) {
  for (const o of item.json.orders || []) {
    const exp = exponent(o.currency);
    const shipping = (o.shipping_lines || []).reduce((sum, l) => sum + toMinor(shopMoney(l.price_set, l.price), exp), 0);
    const customer = o.customer && o.customer.id
      ? { external_id: String(o.customer.id), email: o.customer.email || o.email || undefined,
          first_name: o.customer.first_name || undefined, last_name: o.customer.last_name || undefined }
      : (o.email ? { email: o.email } : null);
    const refunds = (o.refunds || []).map((r) => ({
      external_id: String(r.id),
      created_at: r.created_at,
      amount: (r.transactions || [])
        .filter((t) => t.kind === 'refund' && t.status === 'success')
        .reduce((sum, t) => sum + toMinor(t.amount, exp), 0),
    }));
    rows.push({
      platform: 'shopify',
      external_id: String(o.id),
      order_number: o.name || (o.order_number ? `#${o.order_number}` : undefined),
      placed_at: o.created_at,
      updated_at: o.updated_at || undefined,
      currency: o.currency,
      total: toMinor(shopMoney(o.total_price_set, o.total_price), exp),
      subtotal: toMinor(shopMoney(o.subtotal_price_set, o.subtotal_price), exp),
      discounts: toMinor(shopMoney(o.total_discounts_set, o.total_discounts), exp),
      shipping,
      tax: toMinor(shopMoney(o.total_tax_set, o.total_tax), exp),
      financial_status: o.financial_status || null,
      fulfillment_status: o.fulfillment_status || null,
      cancelled_at: o.cancelled_at || null,
      test: Boolean(o.test),
      customer,
      source_name: o.source_name || null,
      landing_site: o.landing_site || null,
      referring_site: o.referring_site || null,
      refunds,
    });
  }
}
const batches = [];
for (let i = 0; i < rows.length; i += BATCH) batches.push({ json: { rows: rows.slice(i, i + BATCH) } });
return batches;
