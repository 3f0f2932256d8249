// Builds the importable workflow files from their parts: the Code nodes' JavaScript lives in
// src/*.js (money.js is put in front of each mapping: an n8n Code node cannot import) (readable, tested under Node.js by backend/tests/interop/n8n_flows.test.mjs) and is
// embedded here. Run `node n8n-flows/build.mjs` after editing src/; a test fails when the JSON
// and src/ disagree.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const source = (name) => readFileSync(join(here, 'src', name), 'utf8');
// A mapping node's code: the shared money helpers, then the mapping.
const mapping = (name) => `${source('money.js')}\n${source(name)}`;

const hourly = (id) => ({
  id, name: 'Every hour', type: 'n8n-nodes-base.scheduleTrigger', typeVersion: 1.2, position: [0, 0],
  parameters: { rule: { interval: [{ field: 'hours', hoursInterval: 1 }] } },
});
const code = (id, name, x, jsCode) => ({
  id, name, type: 'n8n-nodes-base.code', typeVersion: 2, position: [x, 0], parameters: { mode: 'runOnceForAllItems', jsCode },
});
const ingest = (id, path, x) => ({
  id, name: 'Send to OmniTrackIQ', type: 'n8n-nodes-base.httpRequest', typeVersion: 4.2, position: [x, 0],
  retryOnFail: true, maxTries: 3, waitBetweenTries: 5000,
  parameters: {
    method: 'POST',
    url: `={{ $('Settings').first().json.omnitrackiq_url }}/api/v1/ingest/${path}`,
    authentication: 'genericCredentialType',
    genericAuthType: 'httpHeaderAuth',
    sendBody: true,
    specifyBody: 'json',
    jsonBody: '={{ JSON.stringify({ rows: $json.rows }) }}',
    options: { timeout: 120000 },
  },
  credentials: { httpHeaderAuth: { id: 'omnitrackiq-ingest-key', name: 'OmniTrackIQ ingest key' } },
});
const chain = (...names) => Object.fromEntries(
  names.slice(0, -1).map((n, i) => [n, { main: [[{ node: names[i + 1], type: 'main', index: 0 }]] }]),
);
const workflow = (name, nodes) => ({
  name, nodes, connections: chain(...nodes.map((n) => n.name)), active: false,
  settings: { executionOrder: 'v1', timezone: 'UTC' }, pinData: {}, tags: [{ name: 'OmniTrackIQ' }],
  meta: { templateCredsSetupCompleted: false },
});

const metaSettings = `// Edit these three lines: the ad accounts to sync, where OmniTrackIQ runs, and how many recent
// days to re-pull (Meta restates recent days as attribution completes; re-sent rows replace the old).
const AD_ACCOUNTS = ['act_1234567890'];
const OMNITRACKIQ_URL = 'https://omnitrackiq.example.com';
const RESTATEMENT_DAYS = 28;
const GRAPH_VERSION = 'v25.0';
const day = (d) => d.toISOString().slice(0, 10);
const until = new Date();
const since = new Date(until.getTime() - (RESTATEMENT_DAYS - 1) * 86400000);
return AD_ACCOUNTS.map((id) => ({ json: {
  ad_account_id: id.startsWith('act_') ? id : \`act_\${id}\`,
  since: day(since), until: day(until), graph_version: GRAPH_VERSION, omnitrackiq_url: OMNITRACKIQ_URL,
} }));
`;

const shopifySettings = `// Edit these lines: the shop, where OmniTrackIQ runs, and how far back each hourly run looks
// (an overlap is harmless: a re-sent order replaces the stored one).
const SHOP = 'your-store.myshopify.com';
const OMNITRACKIQ_URL = 'https://omnitrackiq.example.com';
const LOOKBACK_HOURS = 3;
const API_VERSION = '2026-07';
return [{ json: {
  shop: SHOP, api_version: API_VERSION, omnitrackiq_url: OMNITRACKIQ_URL,
  updated_at_min: new Date(Date.now() - LOOKBACK_HOURS * 3600000).toISOString(),
} }];
`;

const meta = workflow('OmniTrackIQ: Meta Ads spend, hourly', [
  hourly('6f1f6a52-3b0e-4c1e-9a60-0a0000000001'),
  code('6f1f6a52-3b0e-4c1e-9a60-0a0000000002', 'Settings', 220, metaSettings),
  {
    id: '6f1f6a52-3b0e-4c1e-9a60-0a0000000003', name: 'Meta insights', type: 'n8n-nodes-base.httpRequest',
    typeVersion: 4.2, position: [440, 0], retryOnFail: true, maxTries: 3, waitBetweenTries: 60000,
    parameters: {
      method: 'GET',
      // The whole query is in the URL: Meta's paging.next replaces it page by page.
      url: '=https://graph.facebook.com/{{ $json.graph_version }}/{{ $json.ad_account_id }}/insights?level=campaign'
        + '&time_increment=1&limit=500&fields=account_id,account_currency,campaign_id,campaign_name,spend,impressions,'
        + 'clicks,actions,action_values,date_start,date_stop&time_range={{ encodeURIComponent(JSON.stringify({ since: '
        + '$json.since, until: $json.until })) }}',
      authentication: 'predefinedCredentialType',
      nodeCredentialType: 'facebookGraphApi',
      options: {
        pagination: { pagination: {
          paginationMode: 'responseContainsNextURL',
          nextURL: '={{ $response.body.paging.next }}',
          paginationCompleteWhen: 'other',
          completeExpression: '={{ !$response.body.paging || !$response.body.paging.next }}',
          limitPagesFetched: true, maxRequests: 500, requestInterval: 500,
        } },
      },
    },
    credentials: { facebookGraphApi: { id: 'omnitrackiq-meta', name: 'Meta Graph API (ads_read)' } },
  },
  code('6f1f6a52-3b0e-4c1e-9a60-0a0000000004', 'Map to OmniTrackIQ rows', 660, mapping('meta_map.js')),
  ingest('6f1f6a52-3b0e-4c1e-9a60-0a0000000005', 'ad-spend', 880),
]);

const shopify = workflow('OmniTrackIQ: Shopify orders, hourly', [
  hourly('0b7d2c1e-5a4f-4d2b-8c11-0b0000000001'),
  code('0b7d2c1e-5a4f-4d2b-8c11-0b0000000002', 'Settings', 220, shopifySettings),
  {
    id: '0b7d2c1e-5a4f-4d2b-8c11-0b0000000003', name: 'Shopify orders', type: 'n8n-nodes-base.httpRequest',
    typeVersion: 4.2, position: [440, 0], retryOnFail: true, maxTries: 3, waitBetweenTries: 5000,
    parameters: {
      method: 'GET',
      // status=any, or cancelled and closed orders are missed. With page_info only limit may
      // accompany it, so the query lives in the URL and the Link header's URL replaces it.
      url: '=https://{{ $json.shop }}/admin/api/{{ $json.api_version }}/orders.json?status=any&limit=250'
        + '&updated_at_min={{ encodeURIComponent($json.updated_at_min) }}',
      authentication: 'predefinedCredentialType',
      nodeCredentialType: 'shopifyAccessTokenApi',
      options: {
        pagination: { pagination: {
          paginationMode: 'responseContainsNextURL',
          nextURL: "={{ ($response.headers.link || '').split(',').find(s => s.includes('rel=\"next\"'))?.match(/<([^>]+)>/)?.[1] }}",
          paginationCompleteWhen: 'other',
          completeExpression: "={{ !($response.headers.link || '').includes('rel=\"next\"') }}",
          // Shopify's REST bucket leaks 2 requests a second.
          limitPagesFetched: true, maxRequests: 1000, requestInterval: 600,
        } },
      },
    },
    credentials: { shopifyAccessTokenApi: { id: 'omnitrackiq-shopify', name: 'Shopify access token' } },
  },
  code('0b7d2c1e-5a4f-4d2b-8c11-0b0000000004', 'Map to OmniTrackIQ rows', 660, mapping('shopify_map.js')),
  ingest('0b7d2c1e-5a4f-4d2b-8c11-0b0000000005', 'orders', 880),
]);

for (const [file, wf] of [['facebook_ads_hourly.json', meta], ['shopify_orders_hourly.json', shopify]]) {
  writeFileSync(join(here, file), `${JSON.stringify(wf, null, 2)}\n`);
}
