#!/usr/bin/env node
// Scenario d2: the server at the descriptor limit a service gets by default (systemd's soft
// LimitNOFILE is 1024; here 1024 soft and hard, so the server cannot raise it). More clients
// connect than it has descriptors for; once they leave, it must accept and serve new connections
// again, and SIGTERM must still stop it.
//
// Before 89fafcd this failed (RESTinio 0.6.16): the acceptor's completion handler
// (restinio/impl/acceptor.hpp, call_accept_now) drops a failed async_accept (EMFILE) without
// accepting again, so the server never accepted another connection; when the connections it had
// closed, its io_context ran out of work, the I/O threads returned, and SIGTERM then hung in
// Server::shutdown (closed_future.wait() on an io_context nobody ran). See README.md.
import net from 'node:net';
import http from 'node:http';
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { send } from '../../../bench/load/lib.mjs';
import { scenario, startServer, log } from './harness.mjs';
import { setTimeout as sleep } from 'node:timers/promises';

const NOFILE = Number(process.env.FAULT_FD_NOFILE || 1024);
const CLIENTS = Number(process.env.FAULT_FD_CLIENTS || NOFILE + 200);
const SHUTDOWN_S = 10;

await scenario('fd_exhaustion', async ({ cluster, checks, track }) => {
  const server = track(await startServer('fd_exhaustion', cluster.url(), { SHUTDOWN_TIMEOUT_SECONDS: String(SHUTDOWN_S) }, { nofile: NOFILE }));
  const pid = server.proc.pid;
  log(`server descriptor limit ${/Max open files\s+(\d+)/.exec(readFileSync(`/proc/${pid}/limits`, 'utf8'))[1]}; opening ${CLIENTS} idle connections`);
  const held = [];
  const open = () => new Promise((res) => {
    const s = net.connect(server.port, '127.0.0.1');
    s.on('connect', () => { held.push(s); res(); });
    s.on('error', () => res());
  });
  for (let i = 0; i < CLIENTS; i += 100) await Promise.all(Array.from({ length: Math.min(100, CLIENTS - i) }, open));
  await sleep(1000);
  const fds = spawnSync('bash', ['-c', `ls /proc/${pid}/fd | wc -l`], { encoding: 'utf8' }).stdout.trim();
  log(`${held.length} connected at the TCP level; the server holds ${fds} descriptors`);
  for (const s of held) s.destroy();
  await sleep(2000);
  const fresh = await send(new http.Agent({ keepAlive: false }), server.base, { path: '/api/v1/health', timeoutMs: 5000 });
  checks.ok(fresh.status === 200, 'after the crowd leaves, a new connection is served (/health 200)', String(fresh.status || fresh.error));
  const threads = spawnSync('bash', ['-c', `ls /proc/${pid}/task | wc -l`], { encoding: 'utf8' }).stdout.trim();
  log(`server threads now: ${threads}`);
  const t0 = performance.now();
  server.proc.kill('SIGTERM');
  const exited = await Promise.race([server.exited, sleep((SHUTDOWN_S + 3) * 1000).then(() => null)]);
  checks.ok(exited !== null && exited.code === 0, `SIGTERM stops it (exit 0 within ${SHUTDOWN_S + 3} s)`,
    exited ? `exit ${exited.code} after ${(performance.now() - t0).toFixed(0)} ms` : 'still running: killed with SIGKILL');
  if (!exited) server.proc.kill('SIGKILL');
});
