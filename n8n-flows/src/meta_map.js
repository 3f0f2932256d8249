// Meta insights pages -> OmniTrackIQ ad spend rows (POST /api/v1/ingest/ad-spend).
// Input: one item per insights page ({data: [...], paging}). Output: batches {rows: [...]}.
// Money: decimal strings in the ad account's currency, through toMinor (src/money.js).
const PURCHASE_ACTION_TYPE = 'omni_purchase'; // Meta's purchase types overlap: count exactly one
const BATCH = 5000;

function action(list, type) {
  const hit = (list || []).find((a) => a.action_type === type);
  return hit ? hit.value : '0';
}

const rows = [];
for (const item of $input.all()) {
  for (const r of item.json.data || []) {
    const exp = exponent(r.account_currency);
    rows.push({
      platform: 'meta',
      ad_account_id: `act_${String(r.account_id).replace(/^act_/, '')}`,
      campaign_id: String(r.campaign_id),
      campaign_name: r.campaign_name || '',
      date: r.date_start,
      currency: r.account_currency,
      spend: toMinor(r.spend, exp),
      impressions: Number(r.impressions || 0),
      clicks: Number(r.clicks || 0),
      conversions: Number(action(r.actions, PURCHASE_ACTION_TYPE)),
      conversion_value: toMinor(action(r.action_values, PURCHASE_ACTION_TYPE), exp),
    });
  }
}
const batches = [];
for (let i = 0; i < rows.length; i += BATCH) batches.push({ json: { rows: rows.slice(i, i + BATCH) } });
return batches;
