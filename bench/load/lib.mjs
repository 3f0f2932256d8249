// Mixed-load generator for the OmniTrackIQ API: a fixed number of keep-alive connections, each a
// closed loop (send, wait for the whole answer, send the next) drawing requests from a weighted mix
// of dashboard reads, order lists, ingest batches and logins. Node built-ins only.
//
// Used by bench/load/loadgen.mjs (the CLI behind `make bench-load`) and by the fault suite
// (backend/tests/fault/*.mjs), which needs the per-request timeline and the acknowledged batches.
import http from 'node:http';
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';

// ---------------------------------------------------------------------------------------------
// Samples and exact percentiles (every latency is kept: 60 s at a few thousand req/s is a few
// hundred thousand doubles).

export class Samples {
  constructor() {
    this.buf = new Float64Array(4096);
    this.n = 0;
    this.sorted = null;
  }
  add(v) {
    if (this.n === this.buf.length) {
      const bigger = new Float64Array(this.buf.length * 2);
      bigger.set(this.buf);
      this.buf = bigger;
    }
    this.buf[this.n++] = v;
    this.sorted = null;
  }
  // Nearest-rank percentile over all samples (p in 0..100).
  percentile(p) {
    if (this.n === 0) return null;
    if (!this.sorted) this.sorted = this.buf.slice(0, this.n).sort();
    const rank = Math.max(1, Math.ceil((p / 100) * this.n));
    return this.sorted[Math.min(this.n, rank) - 1];
  }
  max() {
    return this.percentile(100);
  }
}

export class RouteStats {
  constructor(label) {
    this.label = label;
    this.count = 0;
    this.status = {}; // "200" -> n
    this.errors = {}; // "ECONNRESET" -> n
    this.latency = new Samples(); // ms, answered requests (any status)
    this.bytesIn = 0;
  }
  record(outcome) {
    this.count++;
    if (outcome.error) {
      this.errors[outcome.error] = (this.errors[outcome.error] || 0) + 1;
      return;
    }
    this.status[outcome.status] = (this.status[outcome.status] || 0) + 1;
    this.latency.add(outcome.ms);
    this.bytesIn += outcome.bytes;
  }
  classes() {
    const c = { '2xx': 0, '3xx': 0, '4xx': 0, '5xx': 0, errors: 0 };
    for (const [s, n] of Object.entries(this.status)) c[`${String(s)[0]}xx`] += n;
    for (const n of Object.values(this.errors)) c.errors += n;
    return c;
  }
  summary(seconds) {
    const round = (v) => (v === null ? null : Math.round(v * 100) / 100);
    return {
      count: this.count,
      rps: Math.round((this.count / seconds) * 10) / 10,
      ...this.classes(),
      status: this.status,
      socket_errors: this.errors,
      p50_ms: round(this.latency.percentile(50)),
      p90_ms: round(this.latency.percentile(90)),
      p99_ms: round(this.latency.percentile(99)),
      max_ms: round(this.latency.max()),
    };
  }
}

// ---------------------------------------------------------------------------------------------
// One HTTP exchange. Never rejects: socket errors, client timeouts and truncated answers come back
// as `error` (a code such as ECONNRESET, ECONNREFUSED, TRUNCATED, CLIENT_TIMEOUT).

export function send(agent, base, { method = 'GET', path, headers = {}, body = null, timeoutMs = 30000 }) {
  return new Promise((resolve) => {
    const url = new URL(path, base);
    const payload = body === null ? null : Buffer.isBuffer(body) ? body : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
    const h = { ...headers };
    if (payload) {
      h['content-length'] = payload.length;
      if (!Object.keys(h).some((k) => k.toLowerCase() === 'content-type')) h['content-type'] = 'application/json';
    }
    const started = performance.now();
    let settled = false;
    let gotResponse = false;
    let received = 0;
    const done = (o) => {
      if (settled) return;
      settled = true;
      resolve({ ms: performance.now() - started, started, ended: performance.now(), reused: !!req.reusedSocket, gotResponse, bytes: received, ...o });
    };
    const req = http.request(url, { agent, method, headers: h });
    req.on('response', (res) => {
      gotResponse = true;
      const chunks = [];
      res.on('data', (c) => {
        received += c.length;
        chunks.push(c);
      });
      res.on('aborted', () => done({ error: 'TRUNCATED', status: res.statusCode }));
      res.on('error', (e) => done({ error: 'TRUNCATED', status: res.statusCode, detail: e.code || e.message }));
      res.on('end', () => {
        if (!res.complete) return done({ error: 'TRUNCATED', status: res.statusCode });
        done({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) });
      });
    });
    req.on('error', (e) => done({ error: e.code === 'ECONNRESET' && e.message === 'socket hang up' ? 'SOCKET_HANG_UP' : e.code || e.message }));
    req.setTimeout(timeoutMs, () => {
      if (!settled) {
        done({ error: 'CLIENT_TIMEOUT' });
        req.destroy();
      }
    });
    req.end(payload || undefined);
  });
}

export function newAgent(connections) {
  return new http.Agent({ keepAlive: true, maxSockets: connections, maxFreeSockets: connections, scheduling: 'fifo' });
}

// ---------------------------------------------------------------------------------------------
// Setup: log in as the demo user, make an ingest key.

export async function prepare(base, { email, password, ingestKey = null }) {
  const agent = new http.Agent({ keepAlive: false });
  const login = await send(agent, base, { method: 'POST', path: '/api/v1/auth/login', body: { email, password } });
  if (login.status !== 200) throw new Error(`login as ${email} failed: ${login.status || login.error} ${login.body || ''}`);
  const session = JSON.parse(login.body);
  let key = ingestKey;
  if (!key) {
    const made = await send(agent, base, {
      method: 'POST', path: '/api/v1/api-keys', headers: { authorization: `Bearer ${session.access_token}` },
      body: { name: `load-${Date.now()}`, role: 'ingest' },
    });
    if (made.status !== 201 && made.status !== 200) throw new Error(`creating an ingest key failed: ${made.status || made.error} ${made.body || ''}`);
    key = JSON.parse(made.body).key;
  }
  return { token: session.access_token, ingestKey: key, accountId: session.account.id, timezone: session.account.timezone, email, password };
}

// ---------------------------------------------------------------------------------------------
// The mix.

export const DEFAULT_MIX = {
  summary: 20, timeseries: 14, channels: 10, campaigns: 14, orders: 24, ingest_orders: 6, ingest_spend: 6, login: 6,
};

export const LABELS = {
  summary: 'GET /metrics/summary',
  timeseries: 'GET /metrics/timeseries',
  channels: 'GET /metrics/channels',
  campaigns: 'GET /metrics/campaigns',
  orders: 'GET /metrics/orders',
  ingest_orders: 'POST /ingest/orders',
  ingest_spend: 'POST /ingest/ad-spend',
  login: 'POST /auth/login',
};

export function parseMix(text) {
  if (!text) return { ...DEFAULT_MIX };
  const mix = {};
  for (const part of text.split(',')) {
    const [name, weight] = part.split('=');
    if (!(name in LABELS)) throw new Error(`unknown mix entry '${name}' (known: ${Object.keys(LABELS).join(', ')})`);
    mix[name] = Number(weight);
    if (!(mix[name] >= 0)) throw new Error(`bad weight for ${name}: ${weight}`);
  }
  return mix;
}

const DAY = 86400000;
const iso = (t) => new Date(t).toISOString().slice(0, 10);
const pick = (a) => a[Math.floor(Math.random() * a.length)];
const randInt = (lo, hi) => lo + Math.floor(Math.random() * (hi - lo + 1));

// Date ranges people look at: last 7/30/90 days, month to date, last month, the last year.
function dateRange(today) {
  const t = today.getTime();
  const r = Math.random();
  if (r < 0.3) return [iso(t - 6 * DAY), iso(t)];
  if (r < 0.6) return [iso(t - 29 * DAY), iso(t)];
  if (r < 0.75) return [iso(t - 89 * DAY), iso(t)];
  if (r < 0.85) return [iso(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), 1)), iso(t)];
  if (r < 0.95) {
    const first = Date.UTC(today.getUTCFullYear(), today.getUTCMonth() - 1, 1);
    const last = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), 0);
    return [iso(first), iso(last)];
  }
  return [iso(t - 364 * DAY), iso(t)];
}

// ---------------------------------------------------------------------------------------------
// The run.

export function startLoad(opts) {
  const o = {
    connections: 64, durationMs: 60000, mix: DEFAULT_MIX, minRows: 100, maxRows: 500, resendShare: 0.2,
    ingestConnections: 2, loginRate: 2, spoofIps: false, timeoutMs: 30000, timeline: false, errorPauseMs: 50, unavailablePauseMs: 100,
    ...opts,
  };
  const runId = o.runId || randomBytes(4).toString('hex');
  const agent = newAgent(o.connections);
  const stats = {};
  for (const name of Object.keys(LABELS)) stats[name] = new RouteStats(LABELS[name]);
  const total = new RouteStats('all');
  const timeline = [];
  const batches = []; // every ingest batch sent: {route, acked, status|error, id, rows}
  const recentAcked = { orders: [], spend: [] }; // for re-sends (the idempotent path n8n takes)
  const today = new Date(Date.now());
  let seq = 0;
  let batchSeq = 0;
  let stopped = false;
  let loginTokens = o.loginRate > 0 ? o.loginRate : Infinity;
  let lastRefill = performance.now();
  const t0 = performance.now();
  // With ingestConnections > 0, that many connections only send ingest batches (like n8n flows
  // or scripts pushing data) and the others only read and log in (people on the dashboard);
  // with 0, every connection draws from the whole mix.
  const isIngest = (n) => n.startsWith('ingest_');
  const ingesters = Math.min(o.connections, Object.keys(o.mix).some((n) => isIngest(n) && o.mix[n] > 0) ? o.ingestConnections : 0);
  const pool = (filter) => {
    const names = Object.keys(o.mix).filter((n) => o.mix[n] > 0 && filter(n));
    return { names, sum: names.reduce((s, n) => s + o.mix[n], 0) };
  };
  const pools = ingesters > 0 ? { ingest: pool(isIngest), read: pool((n) => !isIngest(n)) } : { ingest: pool(() => true), read: pool(() => true) };

  const draw = (vu) => {
    const { names, sum: weightSum } = pools[vu.role];
    for (;;) {
      let x = Math.random() * weightSum;
      let name = names[names.length - 1];
      for (const n of names) {
        x -= o.mix[n];
        if (x < 0) { name = n; break; }
      }
      if (name !== 'login') return name;
      // Logins are bcrypt-bound (~170 ms of CPU each): a token bucket keeps them at loginRate/s.
      const now = performance.now();
      loginTokens = Math.min(Math.max(1, o.loginRate), loginTokens + ((now - lastRefill) / 1000) * o.loginRate);
      lastRefill = now;
      if (loginTokens >= 1) { loginTokens -= 1; return name; }
      if (names.length === 1) return name;
    }
  };

  const auth = (vu) => ({ authorization: `Bearer ${vu.token}` });

  const orderRows = (batch, n) => {
    const rows = [];
    const now = Date.now();
    for (let i = 0; i < n; i++) {
      const placed = now - Math.floor(Math.random() * 30 * DAY);
      const total = randInt(1500, 40000);
      const row = {
        platform: 'shopify', external_id: `load-${runId}-${batch}-${i}`, order_number: `#L${batch}-${i}`,
        placed_at: new Date(placed).toISOString().replace(/\.\d+Z$/, 'Z'), currency: 'USD', total,
        subtotal: Math.max(0, total - 500), shipping: 500, financial_status: 'paid', test: false,
        customer: { external_id: `load-cust-${randInt(1, 20000)}`, email: `load${randInt(1, 20000)}@example.com` },
        landing_site: pick(['/?utm_source=facebook&utm_medium=paid_social&utm_campaign=bf', '/?utm_source=google&utm_medium=cpc', '/?gclid=abc', '/']),
      };
      if (i % 10 === 0) row.refunds = [{ external_id: `r-${runId}-${batch}-${i}`, created_at: new Date(Math.min(now, placed + 2 * DAY)).toISOString().replace(/\.\d+Z$/, 'Z'), amount: 500 }];
      rows.push(row);
    }
    return rows;
  };
  const spendRows = (batch, n) => {
    // n8n's shape: a few campaigns, each with its last 28 days.
    const rows = [];
    const platform = pick(['facebook_ads', 'google_ads', 'tiktok_ads']);
    for (let i = 0; i < n; i++) {
      const campaign = Math.floor(i / 28);
      rows.push({
        platform, ad_account_id: `act_load_${runId}`, campaign_id: `load-${runId}-${batch}-${campaign}`,
        campaign_name: `Load ${batch}/${campaign}`, date: iso(today.getTime() - (i % 28) * DAY), currency: 'USD',
        spend: randInt(0, 200000), impressions: randInt(0, 50000), clicks: randInt(0, 900), conversions: randInt(0, 20),
        conversion_value: randInt(0, 90000),
      });
    }
    return rows;
  };

  const build = (name, vu) => {
    switch (name) {
      case 'summary': {
        const [from, to] = dateRange(today);
        return { path: `/api/v1/metrics/summary?from=${from}&to=${to}${Math.random() < 0.6 ? '&compare=previous_period' : ''}`, headers: auth(vu) };
      }
      case 'timeseries': {
        const [from, to] = dateRange(today);
        const long = Date.parse(to) - Date.parse(from) > 100 * DAY;
        const interval = long ? pick(['week', 'month']) : pick(['day', 'day', 'week']);
        const metrics = pick(['revenue,spend,roas,orders', 'revenue,spend', 'mer,ncac,aov', 'orders,new_customers']);
        return { path: `/api/v1/metrics/timeseries?from=${from}&to=${to}&interval=${interval}&metrics=${metrics}${Math.random() < 0.4 ? '&group_by=platform' : ''}`, headers: auth(vu) };
      }
      case 'channels': {
        const [from, to] = dateRange(today);
        return { path: `/api/v1/metrics/channels?from=${from}&to=${to}`, headers: auth(vu) };
      }
      case 'campaigns': {
        const [from, to] = dateRange(today);
        const sort = pick(['spend', 'spend', 'platform_roas', 'conversions', 'clicks', 'name']);
        const platform = Math.random() < 0.3 ? `&platform=${pick(['facebook_ads', 'google_ads', 'tiktok_ads'])}` : '';
        return { path: `/api/v1/metrics/campaigns?from=${from}&to=${to}&sort=${sort}&order=desc&limit=${pick([20, 50])}${platform}`, headers: auth(vu) };
      }
      case 'orders': {
        // Paging: a user reads 1-4 pages of one list before starting another.
        if (vu.cursor && vu.pagesLeft > 0) {
          vu.pagesLeft--;
          return { path: `${vu.ordersPath}&cursor=${encodeURIComponent(vu.cursor)}`, headers: auth(vu), ordersPage: true };
        }
        const [from, to] = dateRange(today);
        const status = Math.random() < 0.2 ? `&status=${pick(['paid', 'refunded', 'partially_refunded'])}` : '';
        const sort = Math.random() < 0.2 ? '&sort=total' : '';
        vu.ordersPath = `/api/v1/metrics/orders?from=${from}&to=${to}&limit=50${status}${sort}`;
        vu.pagesLeft = randInt(0, 3);
        vu.cursor = null;
        return { path: vu.ordersPath, headers: auth(vu), ordersPage: true };
      }
      case 'ingest_orders':
      case 'ingest_spend': {
        const kind = name === 'ingest_orders' ? 'orders' : 'spend';
        let rows;
        let resend = false;
        if (recentAcked[kind].length && Math.random() < o.resendShare) {
          rows = pick(recentAcked[kind]);
          resend = true;
        } else {
          const b = batchSeq++;
          const n = randInt(o.minRows, o.maxRows);
          rows = kind === 'orders' ? orderRows(b, n) : spendRows(b, n);
        }
        return {
          method: 'POST', path: kind === 'orders' ? '/api/v1/ingest/orders' : '/api/v1/ingest/ad-spend',
          headers: { authorization: `Bearer ${o.ingestKey}` }, body: JSON.stringify({ rows }), rows, kind, resend,
        };
      }
      case 'login': {
        const headers = {};
        // Behind a proxy (TRUST_PROXY_HEADERS=true) people log in from many addresses; without it
        // every login counts against 127.0.0.1's 300 attempts per 15 minutes.
        if (o.spoofIps) headers['x-forwarded-for'] = `10.${randInt(0, 255)}.${randInt(0, 255)}.${randInt(1, 254)}`;
        return { method: 'POST', path: '/api/v1/auth/login', headers, body: JSON.stringify({ email: o.email, password: o.password }) };
      }
    }
    throw new Error(name);
  };

  const keyOf = (kind, r) => (kind === 'orders' ? [r.platform, r.external_id, r.total] : [r.platform, r.ad_account_id, r.campaign_id, r.date, r.spend]);

  const vuLoop = async (index) => {
    const vu = { index, role: index < ingesters ? 'ingest' : 'read', token: o.token, cursor: null, pagesLeft: 0, ordersPath: '' };
    if (pools[vu.role].names.length === 0) return;
    while (!stopped) {
      const name = draw(vu);
      const r = build(name, vu);
      const id = `load-${runId}-${seq++}`;
      const outcome = await send(agent, o.base, {
        method: r.method || 'GET', path: r.path, headers: { ...r.headers, 'x-request-id': id }, body: r.body || null, timeoutMs: o.timeoutMs,
      });
      outcome.id = id;
      stats[name].record(outcome);
      total.record(outcome);
      if (o.timeline) {
        timeline.push({ t0: outcome.started - t0, t1: outcome.ended - t0, name, id, status: outcome.status ?? null, error: outcome.error ?? null, reused: outcome.reused, gotResponse: outcome.gotResponse, bytes: outcome.bytes, close: outcome.headers?.connection === 'close' });
      }
      if (r.rows) {
        const acked = !outcome.error && outcome.status >= 200 && outcome.status < 300;
        let accepted = null;
        if (acked) {
          try { accepted = JSON.parse(outcome.body).accepted; } catch { accepted = null; }
        }
        batches.push({ kind: r.kind, acked, id, status: outcome.status ?? null, error: outcome.error ?? null, accepted, resend: r.resend, rows: r.rows.map((row) => keyOf(r.kind, row)) });
        if (acked && !r.resend) {
          const ring = recentAcked[r.kind];
          ring.push(r.rows);
          if (ring.length > 20) ring.shift();
        }
      }
      if (!outcome.error && outcome.status === 200) {
        if (r.ordersPage) {
          try { vu.cursor = JSON.parse(outcome.body).next_cursor || null; } catch { vu.cursor = null; }
          if (!vu.cursor) vu.pagesLeft = 0;
        } else if (name === 'login') {
          try { vu.token = JSON.parse(outcome.body).access_token; } catch { /* keep the old one */ }
        }
      } else if (r.ordersPage) {
        vu.cursor = null;
      }
      // A real client backs off on errors instead of spinning; so does this one.
      if (outcome.error) await sleep(o.errorPauseMs);
      else if (outcome.status === 503 || outcome.status === 429) await sleep(o.unavailablePauseMs);
    }
  };

  const loops = [];
  for (let i = 0; i < o.connections; i++) loops.push(vuLoop(i));
  let timer = null;
  const stop = () => { stopped = true; if (timer) clearTimeout(timer); };
  if (o.durationMs > 0) timer = setTimeout(stop, o.durationMs);
  const done = Promise.all(loops).then(() => {
    const seconds = (performance.now() - t0) / 1000;
    agent.destroy();
    const routes = {};
    for (const [name, s] of Object.entries(stats)) if (s.count) routes[s.label] = s.summary(seconds);
    return {
      run_id: runId, base: o.base, connections: o.connections, ingest_connections: ingesters, seconds: Math.round(seconds * 100) / 100,
      mix: o.mix, rows_per_batch: [o.minRows, o.maxRows], routes, total: total.summary(seconds),
      ingest: {
        batches: batches.length, acked_batches: batches.filter((b) => b.acked).length,
        acked_rows: batches.filter((b) => b.acked).reduce((s, b) => s + b.rows.length, 0),
        resent_batches: batches.filter((b) => b.resend).length,
      },
      timeline: o.timeline ? timeline : undefined,
      batches,
      t0,
    };
  });
  return { stop, done, runId, elapsedMs: () => performance.now() - t0, t0 };
}

// ---------------------------------------------------------------------------------------------
// Output.

export function table(result) {
  const rows = Object.entries(result.routes).map(([label, s]) => [label, s]);
  rows.push(['all', result.total]);
  const fmt = (v) => (v === null || v === undefined ? '-' : v >= 100 ? v.toFixed(0) : v.toFixed(1));
  const head = ['route', 'requests', 'req/s', '2xx', '4xx', '5xx', 'sock err', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms'];
  const lines = rows.map(([label, s]) => [label, s.count, s.rps.toFixed(1), s['2xx'], s['4xx'], s['5xx'], s.errors, fmt(s.p50_ms), fmt(s.p90_ms), fmt(s.p99_ms), fmt(s.max_ms)].map(String));
  const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const line = (cells) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...lines.map(line)].join('\n');
}

// The acknowledged (and unacknowledged) ingest batches, one JSON line each, for verify-acks.mjs.
export function acksJsonl(result, accountId) {
  const lines = [JSON.stringify({ run_id: result.run_id, account_id: accountId })];
  for (const b of result.batches) lines.push(JSON.stringify(b));
  return lines.join('\n') + '\n';
}
