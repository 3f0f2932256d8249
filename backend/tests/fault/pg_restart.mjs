#!/usr/bin/env node
// Scenario a: PostgreSQL is stopped (pg_ctl -m fast: sessions are ended) and started again under
// mixed load. Proves: failures (503 or a dropped connection) happen only inside the restart
// window plus a margin, never a 500 or another 5xx, every ingest batch the server acknowledged is
// stored, no unacknowledged batch is half stored, and the same server process serves again
// (/ready 200, every route 2xx) once PostgreSQL is back.
import { verifyAcks, batchesForCheck } from '../../../bench/load/verify-acks.mjs';
import { prepare, startLoad, send, newAgent, table } from '../../../bench/load/lib.mjs';
import { scenario, seed, startServer, log, seconds, countBy } from './harness.mjs';
import { setTimeout as sleep } from 'node:timers/promises';

const ACQUIRE_MS = 2000; // DATABASE_ACQUIRE_TIMEOUT_MS, the server's default
// A request that was waiting for a pooled connection when PostgreSQL came back may still get its
// 503 up to the acquire timeout later, and each pooled connection that died in the restart is
// found dead on its first use after it; one more second covers scheduling on 2 busy cores.
const MARGIN_MS = Number(process.env.FAULT_PG_MARGIN_MS || ACQUIRE_MS + 1000);
const ROWS = (process.env.FAULT_INGEST_ROWS || '100-300').split('-').map(Number);

await scenario('pg_restart', async ({ cluster, checks, track }) => {
  const creds = await seed(cluster, 'fault-Passphrase-2026');
  const server = track(await startServer('pg_restart', cluster.url(), {
    DATABASE_ACQUIRE_TIMEOUT_MS: String(ACQUIRE_MS), TRUST_PROXY_HEADERS: 'true',
  }));
  const setup = await prepare(server.base, creds);
  const before = seconds(5), down = seconds(4), after = seconds(8);
  const load = startLoad({
    base: server.base, connections: Number(process.env.FAULT_CONNECTIONS || 32), durationMs: 0, timeline: true,
    token: setup.token, ingestKey: setup.ingestKey, email: creds.email, password: creds.password, spoofIps: true,
    ingestConnections: Number(process.env.FAULT_INGEST_CONNECTIONS || 2), minRows: ROWS[0], maxRows: ROWS[1] || ROWS[0], timeoutMs: 20000,
  });
  await sleep(before);
  const stopAt = load.elapsedMs();
  log('stopping PostgreSQL');
  await cluster.stop();
  const stoppedAt = load.elapsedMs();
  await sleep(down);
  const startAt = load.elapsedMs();
  log('starting PostgreSQL');
  await cluster.start();
  const backAt = load.elapsedMs();
  log(`PostgreSQL down from ${(stopAt / 1000).toFixed(2)} s (stop took ${(stoppedAt - stopAt).toFixed(0)} ms) to ${(backAt / 1000).toFixed(2)} s (start took ${(backAt - startAt).toFixed(0)} ms)`);
  // /ready must come back on its own (polled beside the load).
  const probe = newAgent(1);
  let readyAt = null;
  while (readyAt === null && load.elapsedMs() < backAt + after) {
    const r = await send(probe, server.base, { path: '/api/v1/ready', timeoutMs: 5000 });
    if (r.status === 200) readyAt = load.elapsedMs();
    else await sleep(100);
  }
  const remaining = backAt + after - load.elapsedMs();
  if (remaining > 0) await sleep(remaining);
  load.stop();
  const result = await load.done;
  console.log(table(result));

  const windowEnd = backAt + MARGIN_MS;
  const tl = result.timeline;
  const failed = (e) => e.error !== null || e.status >= 500;
  const outside = tl.filter((e) => failed(e) && (e.t1 < stopAt || e.t1 > windowEnd));
  const inside = tl.filter((e) => failed(e) && e.t1 >= stopAt && e.t1 <= windowEnd);
  const lastFailure = Math.max(0, ...tl.filter(failed).map((e) => e.t1));
  log(`failures inside the window: ${inside.length} ${JSON.stringify(countBy(inside, (e) => e.error || e.status))}; last one ended ${((lastFailure - backAt) / 1000).toFixed(2)} s after PostgreSQL was back`);
  checks.ok(tl.filter((e) => e.t1 < stopAt).every((e) => !failed(e)), 'no failures before the stop');
  checks.ok(outside.length === 0, `failures only between the stop and ${MARGIN_MS} ms after PostgreSQL is back`,
    outside.length ? `${outside.length} outside: ${JSON.stringify(outside.slice(0, 5))}` : `${inside.length} inside`);
  const non503 = tl.filter((e) => e.status >= 500 && e.status !== 503);
  checks.ok(non503.length === 0, 'no 5xx other than 503 (no 500s)', non503.length ? JSON.stringify(countBy(non503, (e) => `${e.name} ${e.status}`)) : '');
  // 429 on an ingest route is the per-account batch limit (IngestService::kBatchesPerAccount), met
  // when more ingest connections than it run (FAULT_INGEST_CONNECTIONS): back-pressure, not a fault.
  const limited = (e) => e.status === 429 && e.name.startsWith('ingest_');
  const fourxx = tl.filter((e) => e.status >= 400 && e.status < 500 && !limited(e));
  checks.ok(fourxx.length === 0, 'no 4xx (an outage is not the client\'s fault: no 401 for a failed membership read)',
    fourxx.length ? JSON.stringify(countBy(fourxx, (e) => `${e.name} ${e.status}`)) : '');
  const hung = tl.filter((e) => e.error === 'CLIENT_TIMEOUT');
  checks.ok(hung.length === 0, 'no request hung (client timeout 20 s)');
  const served = tl.filter((e) => e.t0 > windowEnd && e.status >= 200 && e.status < 300).length;
  checks.ok(readyAt !== null, '/api/v1/ready back to 200 without a server restart',
    readyAt !== null ? `${((readyAt - backAt) / 1000).toFixed(2)} s after PostgreSQL was back` : 'never');
  checks.ok(served > 0 && server.proc.exitCode === null, 'the same server process serves after the restart', `${served} requests answered 2xx after the window`);
  // Every route answers again (sequentially, one of each).
  const agent = newAgent(1);
  const auth = { authorization: `Bearer ${setup.token}` };
  for (const path of ['/api/v1/metrics/summary', '/api/v1/metrics/orders?limit=5', '/api/v1/metrics/campaigns', '/api/v1/auth/me']) {
    const r = await send(agent, server.base, { path, headers: auth });
    checks.ok(r.status === 200, `GET ${path} answers 200 afterwards`, r.status ? String(r.status) : r.error);
  }
  const v = verifyAcks(cluster.url(), setup.accountId, batchesForCheck(result.batches));
  checks.ok(v.ok, 'every acknowledged ingest row is stored; no unacknowledged batch is half stored',
    `${v.acked_order_rows} order rows + ${v.acked_spend_rows} spend rows acknowledged; ${v.unacked_batches} batches not acknowledged, ${v.unacked_batches_stored} of them stored whole${v.problems.length ? '; ' + v.problems.join('; ') : ''}`);
  const errs = server.events().filter((e) => e.level === 'error');
  log(`server error lines: ${JSON.stringify(countBy(errs, (e) => `${e.event} ${e.code || ''}`))}`);
  await server.stop();
  checks.ok(server.proc.exitCode === 0, 'the server exits 0 on SIGTERM afterwards', String(server.proc.exitCode));
});
