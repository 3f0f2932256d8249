#!/usr/bin/env node
// Scenario d: slow and idle clients do not starve the others. While 10,000 connections sit idle
// (connected, nothing sent) and 300 slowloris connections send their request headers one byte per
// second, ordinary clients keep being served: kept-alive connections reading the dashboard and
// /auth/me, and brand-new connections (one per request, so the accept path is exercised too).
// Their latency is measured before (baseline) and while the slow ones are held; the bound is
// FAULT_LATENCY_BOUND_MS (default 1000 ms) on p99 and no failures. The server runs with
// `ulimit -n` raised (FAULT_NOFILE, default 32768 or the hard limit) like a service unit would set
// it, and so does this process (scripts/fault.sh raises it before starting node).
// Reported, not asserted: how many held connections the server closed and when (RESTinio closes a
// connection whose request is not complete 60 s after it started: read_next_http_message_timelimit),
// and the server's RSS and CPU while holding them.
import net from 'node:net';
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { prepare, send, newAgent, Samples } from '../../../bench/load/lib.mjs';
import { scenario, seed, startServer, log, seconds } from './harness.mjs';
import { setTimeout as sleep } from 'node:timers/promises';
import http from 'node:http';

const IDLE = Number(process.env.FAULT_IDLE_CONNECTIONS || 10000);
const SLOW = Number(process.env.FAULT_SLOW_CONNECTIONS || 300);
const BOUND_MS = Number(process.env.FAULT_LATENCY_BOUND_MS || 1000);
const hardLimit = Number(spawnSync('bash', ['-c', 'ulimit -Hn'], { encoding: 'utf8' }).stdout.trim()) || 32768;
const NOFILE = Number(process.env.FAULT_NOFILE || Math.min(32768, hardLimit));

function cpuSeconds(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(stat[11]) + Number(stat[12])) / 100; // utime + stime, in clock ticks of 10 ms
}
const rssMb = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;
const fds = (pid) => spawnSync('bash', ['-c', `ls /proc/${pid}/fd | wc -l`], { encoding: 'utf8' }).stdout.trim();

// Ordinary clients for `ms`: 6 kept-alive connections (dashboard summary, /auth/me, /health)
// and one loop opening a new connection per request. Returns latency samples and failures.
async function measure(base, token, ms) {
  const agent = newAgent(6);
  const auth = { authorization: `Bearer ${token}` };
  const kinds = { keepalive_db: new Samples(), keepalive_io: new Samples(), new_connection: new Samples() };
  const failures = [];
  const until = performance.now() + ms;
  const loop = async (kind, path, headers, mkAgent) => {
    while (performance.now() < until) {
      const r = await send(mkAgent(), base, { path, headers, timeoutMs: 10000 });
      if (r.error || r.status !== 200) failures.push({ kind, path, outcome: r.error || r.status });
      else kinds[kind].add(r.ms);
      await sleep(10);
    }
  };
  const loops = [];
  for (let i = 0; i < 2; i++) loops.push(loop('keepalive_db', '/api/v1/metrics/summary', auth, () => agent));
  for (let i = 0; i < 2; i++) loops.push(loop('keepalive_db', '/api/v1/auth/me', auth, () => agent));
  for (let i = 0; i < 2; i++) loops.push(loop('keepalive_io', '/api/v1/health', {}, () => agent));
  loops.push(loop('new_connection', '/api/v1/health', {}, () => new http.Agent({ keepAlive: false })));
  await Promise.all(loops);
  agent.destroy();
  const out = {};
  for (const [k, s] of Object.entries(kinds)) out[k] = { n: s.n, p50: s.percentile(50), p99: s.percentile(99), max: s.max() };
  return { latency: out, failures };
}

const fmt = (m) => Object.entries(m.latency).map(([k, v]) => `${k}: n=${v.n} p50 ${v.p50?.toFixed(1)} ms p99 ${v.p99?.toFixed(1)} ms max ${v.max?.toFixed(1)} ms`).join('; ');

await scenario('slow_clients', async ({ cluster, checks, track }) => {
  const creds = await seed(cluster, 'fault-Passphrase-2026');
  const server = track(await startServer('slow_clients', cluster.url(), {}, { nofile: NOFILE }));
  const pid = server.proc.pid;
  const serverLimit = /Max open files\s+(\d+)/.exec(readFileSync(`/proc/${pid}/limits`, 'utf8'))[1];
  const ownLimit = spawnSync('bash', ['-c', 'ulimit -n'], { encoding: 'utf8' }).stdout.trim();
  log(`descriptor limits: server ${serverLimit}, this process ${ownLimit}`);
  if (Number(ownLimit) < IDLE + SLOW + 200) checks.note(`this process may open only ${ownLimit} descriptors; run through scripts/fault.sh (it raises ulimit -n)`);
  const setup = await prepare(server.base, creds);

  const baseline = await measure(server.base, setup.token, seconds(4));
  log(`baseline: ${fmt(baseline)}`);

  // Idle connections, opened 500 at a time (the listen backlog is finite).
  const held = [];
  let closedByServer = 0;
  const closeTimes = [];
  const openedAt = performance.now();
  let connectErrors = {};
  const open = () => new Promise((res) => {
    const s = net.connect(server.port, '127.0.0.1');
    s.on('connect', () => { held.push(s); res(true); });
    s.on('error', (e) => { connectErrors[e.code] = (connectErrors[e.code] || 0) + 1; res(false); });
    s.on('close', () => { if (s.connectedOnce) { closedByServer++; closeTimes.push(performance.now() - openedAt); } });
    s.once('connect', () => { s.connectedOnce = true; });
    s.on('data', () => {});
  });
  for (let i = 0; i < IDLE; i += 500) await Promise.all(Array.from({ length: Math.min(500, IDLE - i) }, open));
  const idleOpen = held.length;
  log(`${idleOpen} idle connections open in ${((performance.now() - openedAt) / 1000).toFixed(1)} s ${JSON.stringify(connectErrors)}`);

  // Slowloris: a request's headers, one byte per second on each connection.
  const slow = [];
  const header = `GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: slowloris\r\nX-Padding: ${'a'.repeat(4000)}\r\n\r\n`;
  let slowAnswered = 0;
  for (let i = 0; i < SLOW; i++) {
    const s = net.connect(server.port, '127.0.0.1');
    s.pos = 0;
    s.on('error', () => {});
    s.on('data', () => { slowAnswered++; });
    s.on('close', () => { if (!s.destroyedByUs) { closedByServer++; closeTimes.push(performance.now() - openedAt); } });
    slow.push(s);
  }
  const drip = setInterval(() => {
    for (const s of slow) if (!s.destroyed && s.pos < header.length) s.write(header[s.pos++]);
  }, 1000);

  await sleep(1000);
  const cpu0 = cpuSeconds(pid);
  const t0 = performance.now();
  const held1 = await measure(server.base, setup.token, seconds(15));
  const cpuShare = (cpuSeconds(pid) - cpu0) / ((performance.now() - t0) / 1000);
  log(`while holding ${idleOpen} idle + ${SLOW} slowloris connections: ${fmt(held1)}`);
  log(`server while holding them: RSS ${rssMb(pid).toFixed(0)} MB, ${fds(pid)} descriptors, CPU ${(cpuShare * 100).toFixed(0)} % of one core (serving the ordinary clients included)`);

  for (const [kind, v] of Object.entries(held1.latency)) {
    checks.ok(v.n > 0 && v.p99 <= BOUND_MS, `${kind}: p99 within ${BOUND_MS} ms while slow clients are held`,
      `p99 ${v.p99?.toFixed(1)} ms (baseline ${baseline.latency[kind].p99?.toFixed(1)} ms), ${v.n} requests`);
  }
  checks.ok(held1.failures.length === 0, 'no ordinary request failed while slow clients are held',
    held1.failures.length ? JSON.stringify(held1.failures.slice(0, 5)) : '');
  checks.ok(baseline.failures.length === 0, 'no failures in the baseline');
  checks.ok(idleOpen === IDLE, `all ${IDLE} idle connections were accepted`, `${idleOpen} ${JSON.stringify(connectErrors)}`);
  checks.ok(slowAnswered === 0 || slow.every((s) => s.pos >= header.length), 'no slowloris request was answered before its headers were complete');
  if (closedByServer) checks.note(`the server closed ${closedByServer} held connections, first after ${(Math.min(...closeTimes) / 1000).toFixed(1)} s`);
  else checks.note(`the server closed none of the held connections during the ${((performance.now() - openedAt) / 1000).toFixed(0)} s they were held (RESTinio closes them 60 s after a request started)`);

  clearInterval(drip);
  for (const s of slow) { s.destroyedByUs = true; s.destroy(); }
  for (const s of held) { s.connectedOnce = false; s.destroy(); }
  await sleep(500);
  const after = await send(newAgent(1), server.base, { path: '/api/v1/health' });
  checks.ok(after.status === 200 && server.proc.exitCode === null, 'the server is alive afterwards', String(after.status || after.error));
  await server.stop();
  checks.ok(server.proc.exitCode === 0, 'it exits 0 on SIGTERM', String(server.proc.exitCode));
});
