// Shared pieces of the fault scenarios: a private PostgreSQL cluster per scenario
// (scripts/pg-cluster.sh), the server under test (OTQ_BIN, default bin/omnitrackiq) with its log
// in a file, seeding, and a tiny assertion record. Node built-ins only.
import { spawn, spawnSync, execFile } from 'node:child_process';
import { closeSync, openSync, readFileSync, mkdirSync, existsSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const BIN = (() => {
  const b = process.env.OTQ_BIN || 'bin/omnitrackiq';
  return isAbsolute(b) ? b : join(REPO, b);
})();
const run = promisify(execFile);
// Durations scale with FAULT_SCALE (e.g. 5 for a five times longer soak of every scenario).
export const SCALE = Number(process.env.FAULT_SCALE || '1');
export const seconds = (s) => Math.round(s * SCALE * 1000);
export const log = (...a) => console.log(`[${new Date().toISOString().slice(11, 23)}]`, ...a);

// ---------------------------------------------------------------------------------------------

export class Cluster {
  constructor(name) {
    this.name = name;
    this.dir = join(REPO, 'build', `fault-${name}-pg`);
    this.script = join(REPO, 'scripts/pg-cluster.sh');
  }
  async start() {
    await run(this.script, ['start', this.dir, '--fast']);
  }
  async stop() {
    await run(this.script, ['stop', this.dir]);
  }
  url() {
    return spawnSync(this.script, ['url', this.dir], { encoding: 'utf8' }).stdout.trim();
  }
  destroy() {
    spawnSync(this.script, ['destroy', this.dir], { stdio: 'ignore' });
  }
  psql(sql) {
    const r = spawnSync('psql', [this.url(), '-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-c', sql], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`psql: ${r.stderr}`);
    return r.stdout.trim();
  }
}

export async function migrate(cluster) {
  await run(BIN, ['migrate'], { env: { ...process.env, DATABASE_URL: cluster.url() } });
}

// A small store (one account, 90 days): enough for every dashboard query, seeded in ~1 s.
export async function seed(cluster, password, { days = 90, orders = 20000 } = {}) {
  await run(BIN, ['seed-demo', '--password', password, '--days', String(days), '--orders', String(orders), '--accounts', '1'], {
    env: { ...process.env, DATABASE_URL: cluster.url() },
  });
  return { email: 'demo@omnitrackiq.test', password };
}

// Starts `serve` on a free port; the log (JSON lines) goes to build/fault-NAME-server.log.
// `nofile` raises the server's descriptor limit (through bash's ulimit, as an init system would).
export async function startServer(name, databaseUrl, extraEnv = {}, { nofile = null } = {}) {
  mkdirSync(join(REPO, 'build'), { recursive: true });
  const logPath = join(REPO, 'build', `fault-${name}-server.log`);
  const fd = openSync(logPath, 'w');
  const env = {
    ...process.env, DATABASE_URL: databaseUrl, JWT_SECRET: randomBytes(32).toString('hex'),
    TOKEN_ENCRYPTION_KEY: `k1:${randomBytes(32).toString('base64')}`, PORT: '0', HOST: '127.0.0.1',
    STATIC_DIR: join(REPO, 'frontend/out'), ...extraEnv,
  };
  const args = nofile ? ['-c', `ulimit -n ${nofile} && exec "$0" serve`, BIN] : ['serve'];
  const proc = spawn(nofile ? 'bash' : BIN, args, { env, stdio: ['ignore', fd, fd], cwd: REPO });
  closeSync(fd);
  const exited = new Promise((res) => proc.on('exit', (code, signal) => res({ code, signal, at: performance.now() })));
  let port = null;
  for (let i = 0; i < 400 && port === null; i++) {
    if (proc.exitCode !== null) break;
    const m = /"event":"listening".*?"port":(\d+)/.exec(readFileSync(logPath, 'utf8'));
    if (m) port = Number(m[1]);
    else await sleep(50);
  }
  if (port === null) {
    proc.kill('SIGKILL');
    throw new Error(`the server did not start:\n${readFileSync(logPath, 'utf8').slice(-3000)}`);
  }
  return {
    proc, port, base: `http://127.0.0.1:${port}`, logPath, exited,
    events: () => readFileSync(logPath, 'utf8').split('\n').filter(Boolean).map((l) => { try { return JSON.parse(l); } catch { return { raw: l }; } }),
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) {
        proc.kill('SIGTERM');
        const t = setTimeout(() => proc.kill('SIGKILL'), 30000);
        await exited;
        clearTimeout(t);
      }
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Checks: each one printed; the scenario fails when any failed.

export class Checks {
  constructor(scenario) {
    this.scenario = scenario;
    this.failed = [];
    this.notes = [];
  }
  ok(cond, what, detail = '') {
    console.log(`  ${cond ? 'ok  ' : 'FAIL'} ${what}${detail ? ` (${detail})` : ''}`);
    if (!cond) this.failed.push(what + (detail ? ` (${detail})` : ''));
    return cond;
  }
  note(text) {
    console.log(`  note ${text}`);
    this.notes.push(text);
  }
  finish() {
    if (this.failed.length) {
      console.log(`${this.scenario}: FAILED ${this.failed.length} check(s)`);
      for (const f of this.failed) console.log(`  - ${f}`);
      process.exitCode = 1;
    } else {
      console.log(`${this.scenario}: passed`);
    }
  }
}

// Runs body(ctx) with a fresh cluster; tears everything down however it ends.
export async function scenario(name, body) {
  const started = performance.now();
  const checks = new Checks(name);
  const cluster = new Cluster(name);
  const servers = [];
  const cleanup = async () => {
    for (const s of servers) await s.stop().catch(() => {});
    cluster.destroy();
  };
  const onSignal = async () => {
    await cleanup();
    process.exit(130);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  log(`${name}: binary ${BIN}${SCALE !== 1 ? `, durations x${SCALE}` : ''}`);
  if (!existsSync(BIN)) throw new Error(`no binary at ${BIN} (set OTQ_BIN)`);
  try {
    cluster.destroy(); // a previous run killed hard leaves its cluster behind
    await cluster.start();
    await migrate(cluster);
    await body({ cluster, checks, track: (s) => (servers.push(s), s) });
  } catch (e) {
    checks.ok(false, 'the scenario ran to the end', e.stack || String(e));
  } finally {
    await cleanup();
  }
  log(`${name}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  checks.finish();
}

export function countBy(items, key) {
  const m = {};
  for (const i of items) {
    const k = key(i);
    m[k] = (m[k] || 0) + 1;
  }
  return m;
}
