#!/usr/bin/env node
// Mixed load against a running OmniTrackIQ server (see bench/load/README.md).
//
//   node bench/load/loadgen.mjs --base http://127.0.0.1:8080 --email demo@omnitrackiq.test \
//     --password ... [--connections 64] [--duration 60] [--mix summary=20,orders=24,...]
//     [--ingest-connections 2] [--rows 100-500] [--resend 0.2] [--login-rate 2] [--spoof-ips] [--json out.json]
//     [--acks acks.jsonl] [--ingest-key otq_live_...]
//
// Every option also reads from the environment (LOAD_BASE, LOAD_EMAIL, LOAD_PASSWORD,
// LOAD_CONNECTIONS, LOAD_INGEST_CONNECTIONS, LOAD_DURATION, LOAD_MIX, LOAD_ROWS, LOAD_RESEND, LOAD_LOGIN_RATE,
// LOAD_SPOOF_IPS=1, LOAD_JSON, LOAD_ACKS, LOAD_INGEST_KEY). Prints a table per route; exits 0
// (the caller decides what counts as a failure from the JSON).
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { acksJsonl, parseMix, prepare, startLoad, table } from './lib.mjs';

const env = process.env;
const { values: a } = parseArgs({
  options: {
    base: { type: 'string', default: env.LOAD_BASE || env.OTQ_BASE_URL },
    email: { type: 'string', default: env.LOAD_EMAIL || 'demo@omnitrackiq.test' },
    password: { type: 'string', default: env.LOAD_PASSWORD },
    connections: { type: 'string', default: env.LOAD_CONNECTIONS || '64' },
    duration: { type: 'string', default: env.LOAD_DURATION || '60' },
    mix: { type: 'string', default: env.LOAD_MIX || '' },
    rows: { type: 'string', default: env.LOAD_ROWS || '100-500' },
    resend: { type: 'string', default: env.LOAD_RESEND || '0.2' },
    'ingest-connections': { type: 'string', default: env.LOAD_INGEST_CONNECTIONS || '2' },
    'login-rate': { type: 'string', default: env.LOAD_LOGIN_RATE || '2' },
    'spoof-ips': { type: 'boolean', default: env.LOAD_SPOOF_IPS === '1' },
    json: { type: 'string', default: env.LOAD_JSON || '' },
    acks: { type: 'string', default: env.LOAD_ACKS || '' },
    'ingest-key': { type: 'string', default: env.LOAD_INGEST_KEY || '' },
    timeout: { type: 'string', default: env.LOAD_TIMEOUT || '30' },
  },
});
if (!a.base || !a.password) {
  console.error('loadgen: --base and --password are required (or LOAD_BASE, LOAD_PASSWORD)');
  process.exit(2);
}
const [minRows, maxRows] = a.rows.split('-').map(Number);
const setup = await prepare(a.base, { email: a.email, password: a.password, ingestKey: a['ingest-key'] || null });
const options = {
  base: a.base, connections: Number(a.connections), durationMs: Number(a.duration) * 1000, mix: parseMix(a.mix),
  minRows, maxRows: maxRows || minRows, resendShare: Number(a.resend), loginRate: Number(a['login-rate']),
  ingestConnections: Number(a['ingest-connections']), spoofIps: a['spoof-ips'], timeoutMs: Number(a.timeout) * 1000, token: setup.token, ingestKey: setup.ingestKey,
  email: a.email, password: a.password,
};
console.log(`loadgen: ${options.connections} connections (${options.ingestConnections} of them sending only ingest batches) for ${a.duration} s against ${a.base}; mix ${JSON.stringify(options.mix)}; ingest batches of ${minRows}-${options.maxRows} rows (${Math.round(options.resendShare * 100)} % re-sent); logins capped at ${options.loginRate}/s${options.spoofIps ? ' from spoofed X-Forwarded-For addresses' : ''}`);
const result = await startLoad(options).done;
console.log(table(result));
const t = result.total;
console.log(`loadgen: ${t.count} requests in ${result.seconds} s = ${t.rps} req/s; 5xx ${t['5xx']}, socket errors ${t.errors}; ingest ${result.ingest.acked_batches}/${result.ingest.batches} batches acknowledged (${result.ingest.acked_rows} rows, ${result.ingest.resent_batches} re-sent)`);
if (a.json) {
  const { batches, timeline, t0, ...rest } = result;
  writeFileSync(a.json, JSON.stringify({ ...rest, account_id: setup.accountId }, null, 2) + '\n');
}
if (a.acks) writeFileSync(a.acks, acksJsonl(result, setup.accountId));
