#!/usr/bin/env node
// Checks the ingest batches of a load run against PostgreSQL:
//   - every row of every acknowledged (2xx) batch is stored, with the value that was sent;
//   - every batch that was not acknowledged (503, socket error...) is stored entirely or not at
//     all (docs/ingest.md: one transaction per batch).
// Usage: node bench/load/verify-acks.mjs ACKS.jsonl DATABASE_URL   (exit 1 when a check fails)
// The ACKS file is what `loadgen.mjs --acks FILE` writes. Queries run through psql.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const csv = (v) => `"${String(v).replaceAll('"', '""')}"`;

// batches: [{kind: 'orders'|'spend', acked, rows: [[platform, external_id, total]] or
// [[platform, ad_account_id, campaign_id, date, spend]]}]
export function verifyAcks(databaseUrl, accountId, batches) {
  const orders = [];
  const spend = [];
  batches.forEach((b, i) => {
    for (const r of b.rows) (b.kind === 'orders' ? orders : spend).push([i, b.acked ? 't' : 'f', ...r].map(csv).join(','));
  });
  const sql = `
\\set ON_ERROR_STOP 1
CREATE TEMP TABLE want_orders (batch int, acked bool, platform text, external_id text, total bigint);
CREATE TEMP TABLE want_spend (batch int, acked bool, platform text, ad_account_id text, campaign_id text, date date, spend bigint);
COPY want_orders FROM STDIN (FORMAT csv);
${orders.join('\n')}
\\.
COPY want_spend FROM STDIN (FORMAT csv);
${spend.join('\n')}
\\.
CREATE TEMP TABLE acct AS SELECT id FROM accounts WHERE public_id = ${"'" + accountId.replaceAll("'", "''") + "'"};
CREATE TEMP TABLE seen_orders AS
  SELECT w.*, o.total_minor AS stored FROM want_orders w
  LEFT JOIN orders o ON o.account_id = (SELECT id FROM acct) AND o.platform = w.platform AND o.external_id = w.external_id;
CREATE TEMP TABLE seen_spend AS
  SELECT w.*, s.spend_minor AS stored FROM want_spend w
  LEFT JOIN ad_spend s ON s.account_id = (SELECT id FROM acct) AND s.platform = w.platform AND s.ad_account_id = w.ad_account_id
   AND s.campaign_id = w.campaign_id AND s.date = w.date;
SELECT json_build_object(
  'account_found', (SELECT count(*) FROM acct),
  'acked_order_rows', (SELECT count(DISTINCT external_id) FROM seen_orders WHERE acked),
  'acked_order_rows_missing', (SELECT count(DISTINCT external_id) FROM seen_orders WHERE acked AND stored IS NULL),
  'acked_order_rows_wrong', (SELECT count(DISTINCT external_id) FROM seen_orders WHERE acked AND stored IS NOT NULL AND stored <> total),
  'acked_spend_rows', (SELECT count(*) FROM (SELECT DISTINCT platform, ad_account_id, campaign_id, date FROM seen_spend WHERE acked) x),
  'acked_spend_rows_missing', (SELECT count(*) FROM (SELECT DISTINCT platform, ad_account_id, campaign_id, date FROM seen_spend WHERE acked AND stored IS NULL) x),
  'acked_spend_rows_wrong', (SELECT count(*) FROM (SELECT DISTINCT platform, ad_account_id, campaign_id, date FROM seen_spend WHERE acked AND stored IS NOT NULL AND stored <> spend) x),
  'missing_examples', (SELECT json_agg(x) FROM (SELECT external_id FROM seen_orders WHERE acked AND stored IS NULL LIMIT 5) x),
  'unacked_batches', (SELECT count(DISTINCT batch) FROM (SELECT batch FROM seen_orders WHERE NOT acked UNION ALL SELECT batch FROM seen_spend WHERE NOT acked) x),
  'unacked_batches_stored', (SELECT count(*) FROM (
      SELECT batch FROM seen_orders WHERE NOT acked GROUP BY batch HAVING count(stored) = count(*)
      UNION ALL SELECT batch FROM seen_spend WHERE NOT acked GROUP BY batch HAVING count(stored) = count(*)) x),
  'unacked_batches_partial', (SELECT count(*) FROM (
      SELECT batch FROM seen_orders WHERE NOT acked GROUP BY batch HAVING count(stored) > 0 AND count(stored) < count(*)
      UNION ALL SELECT batch FROM seen_spend WHERE NOT acked GROUP BY batch HAVING count(stored) > 0 AND count(stored) < count(*)) x)
);
`;
  // Rows of an unacknowledged batch that were also sent in an acknowledged one (re-sends) are
  // stored whatever happened to the unacknowledged copy: only fresh batches say anything about
  // atomicity, so re-sent batches are left out of the unacked counts by the caller's data (a
  // re-send is never the first copy of its rows).
  const r = spawnSync('psql', [databaseUrl, '-X', '-q', '-A', '-t'], { input: sql, encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`psql failed (${r.status}): ${r.stderr}`);
  const out = JSON.parse(r.stdout.trim().split('\n').pop());
  const problems = [];
  if (out.account_found !== 1) problems.push(`account ${accountId} not found`);
  if (out.acked_order_rows_missing) problems.push(`${out.acked_order_rows_missing} acknowledged order rows are missing (e.g. ${JSON.stringify(out.missing_examples)})`);
  if (out.acked_order_rows_wrong) problems.push(`${out.acked_order_rows_wrong} acknowledged order rows have another total`);
  if (out.acked_spend_rows_missing) problems.push(`${out.acked_spend_rows_missing} acknowledged spend rows are missing`);
  if (out.acked_spend_rows_wrong) problems.push(`${out.acked_spend_rows_wrong} acknowledged spend rows have another spend`);
  if (out.unacked_batches_partial) problems.push(`${out.unacked_batches_partial} unacknowledged batches are partly stored (not atomic)`);
  return { ...out, ok: problems.length === 0, problems };
}

// Re-sent batches carry rows first sent (and acknowledged) earlier: drop them from the
// unacknowledged set so the all-or-nothing check only looks at first copies.
export function batchesForCheck(batches) {
  return batches.filter((b) => b.acked || !b.resend);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [file, url] = process.argv.slice(2);
  if (!file || !url) {
    console.error('usage: verify-acks.mjs ACKS.jsonl DATABASE_URL');
    process.exit(2);
  }
  const lines = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  const head = lines.shift();
  const result = verifyAcks(url, head.account_id, batchesForCheck(lines));
  console.log(JSON.stringify(result));
  if (!result.ok) {
    for (const p of result.problems) console.error(`verify-acks: ${p}`);
    process.exit(1);
  }
  console.log(`verify-acks: all ${result.acked_order_rows} acknowledged order rows and ${result.acked_spend_rows} spend rows are stored; ${result.unacked_batches} unacknowledged batches, ${result.unacked_batches_stored} of them stored whole, none partly`);
}
