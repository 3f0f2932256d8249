#!/usr/bin/env node
// Scenario e: a bad-input sweep over every operation in /api/v1/openapi.json (read from the server
// under test) and over static paths. Each request is written byte for byte on its own connection
// (so paths reach the server unnormalised). Every answer must be a 4xx with the JSON error
// envelope {"error":{"code","message","request_id"}} (static paths: the HTML 404 page, or a page
// inside the static root), never a 5xx, never a dropped connection, never /etc/passwd; the server
// must still be alive and the sweep's session still valid afterwards.
//
// Authenticated operations are swept without credentials (all 401), with broken credentials (all
// 401), and with a valid session (and, for ingest, an ingest key) so that the validators run.
// Cases marked `reject` must be refused; cases marked `any` (inputs the API may legitimately
// accept, such as unknown query parameters) must not be a 5xx and, when refused, must carry the
// envelope; the ones accepted are listed.
//
//   node backend/tests/fault/bad_input.mjs                    own PostgreSQL + OTQ_BIN (default bin/omnitrackiq)
//   OTQ_BASE_URL=http://127.0.0.1:8080 node .../bad_input.mjs  any running server (signs up a fresh user there)
import net from 'node:net';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Checks, REPO, scenario, seed, startServer, log, countBy } from './harness.mjs';

const CONCURRENCY = 8;

// ---------------------------------------------------------------------------------------------
// Raw HTTP/1.1: exact bytes out, status/headers/body back (Content-Length, chunked or close).

function raw(base, { method = 'GET', target, headers = {}, body = null, timeoutMs = 20000 }) {
  const u = new URL(base);
  const payload = body === null ? null : Buffer.isBuffer(body) ? body : Buffer.from(body);
  const lines = [`${method} ${target} HTTP/1.1`, `Host: ${u.host}`, 'Connection: close'];
  for (const [k, v] of Object.entries(headers)) lines.push(`${k}: ${v}`);
  if (payload) lines.push(`Content-Length: ${payload.length}`);
  const head = Buffer.from(lines.join('\r\n') + '\r\n\r\n', 'latin1');
  return new Promise((resolve) => {
    const s = net.connect(Number(u.port), u.hostname);
    const chunks = [];
    let settled = false;
    const done = (r) => { if (!settled) { settled = true; s.destroy(); resolve(r); } };
    s.setTimeout(timeoutMs, () => done({ error: 'CLIENT_TIMEOUT' }));
    s.on('connect', () => { s.write(head); if (payload) s.write(payload); });
    s.on('data', (c) => chunks.push(c));
    s.on('error', (e) => done({ error: e.code || e.message, partial: Buffer.concat(chunks).length }));
    s.on('close', () => {
      const all = Buffer.concat(chunks);
      const end = all.indexOf('\r\n\r\n');
      if (end < 0) return done({ error: all.length ? 'TRUNCATED' : 'NO_RESPONSE' });
      const headLines = all.subarray(0, end).toString('latin1').split('\r\n');
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(headLines[0]);
      if (!m) return done({ error: 'BAD_STATUS_LINE' });
      const h = {};
      for (const l of headLines.slice(1)) {
        const i = l.indexOf(':');
        h[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim();
      }
      let b = all.subarray(end + 4);
      if (/chunked/i.test(h['transfer-encoding'] || '')) {
        const parts = [];
        let p = 0;
        for (;;) {
          const eol = b.indexOf('\r\n', p);
          if (eol < 0) break;
          const n = parseInt(b.subarray(p, eol).toString(), 16);
          if (!(n > 0)) break;
          parts.push(b.subarray(eol + 2, eol + 2 + n));
          p = eol + 2 + n + 2;
        }
        b = Buffer.concat(parts);
      } else if (h['content-length'] && b.length < Number(h['content-length'])) {
        return done({ error: 'TRUNCATED', status: Number(m[1]) });
      }
      done({ status: Number(m[1]), headers: h, body: b });
    });
  });
}

async function pool(items, n, fn) {
  let i = 0;
  await Promise.all(Array.from({ length: n }, async () => { while (i < items.length) { const k = i++; await fn(items[k], k); } }));
}

// ---------------------------------------------------------------------------------------------
// Schemas: templates (type-correct, semantically harmless values) and mutations.

function resolver(spec) {
  const deref = (s) => {
    while (s && s.$ref) s = s.$ref.split('/').slice(1).reduce((o, k) => o[k], spec);
    return s;
  };
  const norm = (s) => {
    s = deref(s) || {};
    if (s.allOf) {
      const out = { type: 'object', properties: {}, required: [] };
      for (const part of s.allOf.map(norm)) {
        Object.assign(out.properties, part.properties || {});
        out.required.push(...(part.required || []));
        if (part.additionalProperties === false) out.additionalProperties = false;
      }
      return out;
    }
    if (s.oneOf || s.anyOf) return norm((s.oneOf || s.anyOf)[0]);
    return s;
  };
  return { deref, norm };
}

const typesOf = (s) => (Array.isArray(s.type) ? s.type : s.type ? [s.type] : []);

function template(s, norm, name = '') {
  s = norm(s);
  const t = typesOf(s);
  if (s.enum) return s.enum[0];
  if (t.includes('object') || s.properties) {
    const o = {};
    for (const k of s.required || []) o[k] = template(s.properties?.[k] || {}, norm, k);
    return o;
  }
  if (t.includes('array')) return s.items ? [template(s.items, norm, name)] : [];
  if (t.includes('integer')) return 1;
  if (t.includes('number')) return 1;
  if (t.includes('boolean')) return false;
  if (s.format === 'email') return 'sweep-nobody@example.com';
  if (s.format === 'date') return '2026-01-15';
  if (s.format === 'date-time') return '2026-01-15T10:00:00Z';
  if (s.pattern === '^[A-Z]{3}$') return 'USD';
  if (/password/.test(name)) return 'short';            // never a valid password: nothing changes
  if (/token|account_id|^id$|plan/.test(name)) return 'sweep-nonexistent';
  return 'sweep';
}

const BAD_DATES = ['2026-02-30', '2026-13-01', '2026-00-10', '0000-00-00', '99999-01-01', '2026-1-1', 'yesterday', '2026-11-01T25:00:00Z', '', '2026-11-01\u0000'];
const BAD_DATETIMES = ['2026-11-01', '2026-11-01T25:61:00Z', '2026-02-30T10:00:00Z', '2026-11-01T10:00:00', 'now', '1e9', '2026-11-01T10:00:00+99:00', ''];
const HUGE = 'x'.repeat(200000);

// Mutations of one value (at `path` inside the body): [label, value, expect].
function valueMutations(s, norm, required) {
  s = norm(s);
  const t = typesOf(s);
  const out = [];
  const wrong = [['null', null], ['bool', true], ['int', 12345], ['float', 1.5], ['string', 'str'], ['array', []], ['object', {}]];
  for (const [label, v] of wrong) {
    const fits = (label === 'null' && t.includes('null')) || (label === 'bool' && t.includes('boolean')) ||
      (label === 'int' && (t.includes('integer') || t.includes('number'))) || (label === 'float' && t.includes('number')) ||
      (label === 'string' && t.includes('string') && !s.enum && !s.format && !s.pattern) ||
      (label === 'array' && t.includes('array')) || (label === 'object' && t.includes('object'));
    if (!fits && t.length) out.push([`wrong type ${label}`, v, label === 'null' && !required ? 'any' : 'reject']);
  }
  if (t.includes('string')) {
    out.push(['huge string', HUGE, s.maxLength || s.enum || s.format || s.pattern ? 'reject' : 'any']);
    if (s.maxLength) out.push([`maxLength+1 (${s.maxLength + 1})`, 'y'.repeat(s.maxLength + 1), 'reject']);
    out.push(['NUL and control characters', 'a\u0000b\u0007c', s.enum || s.format || s.pattern ? 'reject' : 'any']);
    out.push(['lone surrogate', '\ud800', s.enum || s.format || s.pattern ? 'reject' : 'any']);
    if (s.enum) out.push(['not in enum', 'not-a-valid-choice', 'reject']);
    if (s.format === 'date') for (const d of BAD_DATES) out.push([`invalid date ${JSON.stringify(d)}`, d, 'reject']);
    if (s.format === 'date-time') for (const d of BAD_DATETIMES) out.push([`invalid date-time ${JSON.stringify(d)}`, d, 'reject']);
    if (s.format === 'email') out.push(['not an email', 'not-an-email', 'reject']);
    if (s.pattern) out.push(['pattern mismatch', 'usd!', 'reject']);
  }
  if (t.includes('integer') || t.includes('number')) {
    if (s.minimum !== undefined) out.push(['below minimum', s.minimum - 1, 'reject']);
    if (s.maximum !== undefined) out.push(['above maximum', s.maximum + 1, 'reject']);
    out.push(['-1', -1, s.minimum !== undefined && s.minimum >= 0 ? 'reject' : 'any']);
    // Ids may be "string or integer": a big integer id is still an id.
    const big = t.includes('string') ? 'any-raw' : 'reject-raw';
    out.push(['2^63', '9223372036854775808', big]);
    out.push(['-2^63-1', '-9223372036854775809', t.includes('string') ? 'any-raw' : 'reject-raw']);
    out.push(['1e400', '1e400', 'reject-raw']);
    out.push(['huge digits', '9'.repeat(400), big]);
    if (t.includes('integer') && !t.includes('number')) out.push(['fraction for integer', 1.5, 'reject']);
    if (s.enum) out.push(['not in enum', 7, 'reject']);
  }
  if (t.includes('array') && s.maxItems && s.maxItems <= 5000) out.push([`maxItems+1 (${s.maxItems + 1})`, Array.from({ length: s.maxItems + 1 }, () => (s.items ? template(s.items, norm) : 1)), 'reject']);
  return out;
}

// JSON with raw number literals spliced in (JSON.stringify cannot write 1e400).
function bodyWith(base, path, value, rawLiteral) {
  const copy = structuredClone(base);
  let o = copy;
  for (const k of path.slice(0, -1)) o = o[k];
  const last = path[path.length - 1];
  if (value === undefined) delete o[last];
  else o[last] = rawLiteral ? '__RAW__' : value;
  const text = JSON.stringify(copy);
  return rawLiteral ? text.replace('"__RAW__"', value) : text;
}

function bodyCases(schema, norm) {
  const cases = [];
  const at = (body, path) => path.reduce((o, k) => o[k], body);
  // `body` holds every object on the way to `path` (optional ones filled in from templates).
  const walk = (s, path, depth, body) => {
    s = norm(s);
    if (depth > 3) return;
    if (typesOf(s).includes('array') && s.items) {
      const items = norm(s.items);
      const b = structuredClone(body);
      const arr = at(b, path);
      if (Array.isArray(arr) && arr.length === 0) arr.push(template(items, norm));
      if (items.properties) walk(items, [...path, 0], depth + 1, b);
      return;
    }
    if (!s.properties) return;
    for (const [k, ps] of Object.entries(s.properties)) {
      const required = (s.required || []).includes(k);
      const p = [...path, k];
      // Optional properties are added to the template so their validators run too.
      const b = structuredClone(body);
      const o = at(b, path);
      if (!(k in o)) o[k] = template(ps, norm, k);
      for (const [label, v, expect] of valueMutations(ps, norm, required)) {
        const rawLiteral = expect.endsWith('-raw');
        cases.push({ label: `${p.join('.')}: ${label}`, body: bodyWith(b, p, v, rawLiteral), expect: expect.replace('-raw', '') });
      }
      if (required) cases.push({ label: `${p.join('.')}: missing (required)`, body: bodyWith(b, p, undefined), expect: 'reject' });
      const child = norm(ps);
      if (child.properties || (typesOf(child).includes('array') && child.items)) walk(child, p, depth + 1, b);
    }
    if (s.additionalProperties === false) {
      const b = structuredClone(body);
      at(b, path).unknown_field_sweep = 1;
      cases.push({ label: `${path.join('.') || 'body'}: unknown field (additionalProperties false)`, body: JSON.stringify(b), expect: 'reject' });
    }
  };
  walk(schema, [], 0, template(schema, norm));
  return cases;
}

const MALFORMED = [
  ['truncated JSON', '{"a":'], ['trailing comma', '{"a":1,}'], ['not JSON', 'not json at all'], ['empty body', ''],
  ['null', 'null'], ['empty array', '[]'], ['string', '"x"'], ['number', '0'], ['two documents', '{"a":1}{"b":2}'],
  ['BOM', '\ufeff{}'], ['single quotes', "{'a':1}"], ['NaN', '{"a":NaN}'], ['1e999999', '1e999999'],
  ['deep nesting 100k', '['.repeat(100000) + ']'.repeat(100000)], ['deep objects 10k', '{"a":'.repeat(10000) + '1' + '}'.repeat(10000)],
  ['lone surrogate', '{"a":"\\ud800"}'], ['invalid UTF-8', Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d])],
  ['__proto__', '{"__proto__":{"admin":true},"constructor":{"prototype":{}}}'], ['duplicate keys', '{"a":1,"a":2}'],
  ['2 MiB of spaces', ' '.repeat(2 * 1024 * 1024)],
];

// Query mutations per parameter schema.
function queryValues(name, s) {
  const out = [];
  if (s.format === 'date') for (const d of BAD_DATES) out.push([`invalid date ${JSON.stringify(d)}`, encodeURIComponent(d), 'reject']);
  if (s.enum) out.push(['not in enum', 'not-a-choice', 'reject'], ['empty', '', 'any']);
  if (s.type === 'integer') {
    for (const v of ['-1', '0', '1000000', '1e99', 'abc', '99999999999999999999', '1.5', '0x10', '%2B5', '%205', '5%00']) {
      const n = Number(decodeURIComponent(v));
      const inRange = Number.isInteger(n) && (s.minimum === undefined || n >= s.minimum) && (s.maximum === undefined || n <= s.maximum);
      // "+5" and " 5" are 5 to a lenient parser (std::stoi): allowed, listed.
      out.push([`${name}=${v}`, v, inRange && (String(n) === v || /^(%2B|%20)\d+$/.test(v)) ? 'any' : 'reject']);
    }
  }
  if (name === 'cursor' || name === 'before') {
    out.push(['garbage cursor', 'abc', 'reject'], ['random base64url cursor', randomBytes(96).toString('base64url'), 'reject'], ['10 KB cursor', 'A'.repeat(10000), 'reject'], ['NUL cursor', '%00', 'reject']);
  }
  if (s.maxLength) out.push([`maxLength+1 (${s.maxLength + 1})`, 'q'.repeat(s.maxLength + 1), 'reject']);
  if (name === 'q') out.push(['SQL-ish search', encodeURIComponent("' OR 1=1 --"), 'any'], ['LIKE wildcards', encodeURIComponent('%_%\\'), 'any']);
  if (name === 'metrics') out.push(['unknown metric', 'revenue,unknown_metric', 'reject'], ['empty list', ',,,', 'reject'], ['1000 metrics', Array(1000).fill('revenue').join(','), 'any']);
  if (s.type === 'string' && !s.enum && !s.format && name !== 'q' && name !== 'metrics' && name !== 'cursor' && name !== 'before') out.push(['huge value', 'h'.repeat(20000), 'any']);
  return out;
}

// ---------------------------------------------------------------------------------------------

const STATIC_PATHS = [
  '/../../etc/passwd', '/..%2f..%2fetc%2fpasswd', '/%2e%2e/%2e%2e/etc/passwd', '/%2e%2e%2f%2e%2e%2fetc%2fpasswd',
  '/%252e%252e/%252e%252e/etc/passwd', '/..\\..\\etc\\passwd', '/..%5c..%5cetc%5cpasswd', '/%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd',
  '/_next/../../../etc/passwd', '/_next/static/..%2f..%2f..%2f..%2fetc%2fpasswd', '/login/../../../../etc/passwd',
  '/etc/passwd', '//etc/passwd', '/./././etc/passwd', '/index.html%00.png', '/%00', '/%zz', '/%', '/a%2fb',
  '/' + 'a'.repeat(4000), '/' + 'a/'.repeat(2000), '/%ff%fe', '/favicon.ico/..', '/.env', '/.git/config', '/..', '/...',
  '/api/../../etc/passwd', '/api/v1/../../../etc/passwd', '/api/v1/%2e%2e/%2e%2e/etc/passwd', '/api/v1/health/../../../../etc/passwd',
];

function envelopeOk(r) {
  if (!/application\/json/.test(r.headers?.['content-type'] || '')) return false;
  try {
    const e = JSON.parse(r.body.toString('utf8')).error;
    return !!e && typeof e.code === 'string' && typeof e.message === 'string' && typeof e.request_id === 'string' && e.request_id.length > 0;
  } catch {
    return false;
  }
}

export async function sweep(base, checks, { serverLog = null, reportPath = join(REPO, 'build', 'fault-bad_input-report.json') } = {}) {
  const spec = JSON.parse((await raw(base, { target: '/api/v1/openapi.json' })).body.toString());
  const prefix = spec.servers?.[0]?.url || '/api/v1';
  const { norm } = resolver(spec);

  // A fresh user (owner of a new account) and an ingest key: nothing else is touched.
  const email = `sweep-${randomBytes(6).toString('hex')}@example.com`;
  const password = `Sweep-${randomBytes(9).toString('base64url')}`;
  const signup = await raw(base, { method: 'POST', target: `${prefix}/auth/signup`, headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': `10.9.${randomBytes(1)[0]}.${randomBytes(1)[0]}` }, body: JSON.stringify({ email, password, account_name: 'Sweep' }) });
  if (signup.status !== 201 && signup.status !== 200) throw new Error(`signup failed: ${signup.status} ${signup.body}`);
  const token = JSON.parse(signup.body).access_token;
  const keyRes = await raw(base, { method: 'POST', target: `${prefix}/api-keys`, headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` }, body: JSON.stringify({ name: 'sweep', role: 'ingest' }) });
  const ingestKey = JSON.parse(keyRes.body).key;

  const requests = [];
  const add = (r) => requests.push(r);
  const ops = [];
  for (const [p, item] of Object.entries(spec.paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (method === 'parameters') continue;
      const params = [...(item.parameters || []), ...(op.parameters || [])].map((x) => resolver(spec).deref(x));
      const isPublic = Array.isArray(op.security) && op.security.length === 0;
      ops.push({ path: p, method: method.toUpperCase(), op, params, isPublic });
    }
  }

  for (const o of ops) {
    const pathParams = o.params.filter((x) => x.in === 'path');
    const query = o.params.filter((x) => x.in === 'query');
    const fill = (values = {}) => prefix + o.path.replace(/\{(\w+)\}/g, (_, n) => values[n] ?? (n === 'provider' ? 'shopify' : 'sweep-nonexistent'));
    const isIngest = o.path.startsWith('/ingest/');
    const cred = isIngest ? ingestKey : token;
    const authH = o.isPublic ? {} : { Authorization: `Bearer ${cred}` };
    const schema = o.op.requestBody?.content?.['application/json']?.schema;
    const jsonH = { 'Content-Type': 'application/json' };
    const tmpl = schema ? JSON.stringify(template(schema, norm)) : null;
    const route = `${o.method} ${o.path}`;

    if (!o.isPublic) {
      // Without and with broken credentials: 401 before anything else runs.
      const broken = [
        ['no credentials', {}], ['empty bearer', { Authorization: 'Bearer' }], ['garbage bearer', { Authorization: 'Bearer garbage' }],
        ['tampered token', { Authorization: `Bearer ${token.slice(0, -2)}${token.endsWith('AA') ? 'BB' : 'AA'}` }],
        ['alg none', { Authorization: `Bearer ${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${token.split('.')[1]}.` }],
        ['basic auth', { Authorization: 'Basic dXNlcjpwYXNz' }], ['10 KB token', { Authorization: `Bearer ${'a'.repeat(10000)}` }],
        ['revoked-looking key', { Authorization: 'Bearer otq_live_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' }],
        ['garbage session cookie', { Cookie: 'otq_session=garbage' }],
      ];
      // A cookie on an unsafe method from no Origin may be refused by the CSRF check (403) first.
      for (const [label, h] of broken) add({ route, label: `auth: ${label}`, method: o.method, target: fill(), headers: { ...h, ...(tmpl ? jsonH : {}) }, body: tmpl, expect: 'reject', want: h.Cookie && o.method !== 'GET' ? [401, 403] : [401] });
      if (isIngest) add({ route, label: 'auth: a user token of role owner is fine, a read key is not', method: o.method, target: fill(), headers: { ...jsonH, Authorization: `Bearer ${ingestKey}` }, body: '{}', expect: 'reject' });
      else add({ route, label: 'auth: an ingest key cannot call it', method: o.method, target: fill(), headers: { ...jsonH, Authorization: `Bearer ${ingestKey}` }, body: tmpl, expect: 'reject', want: [401, 403] });
    }
    // Path parameters.
    for (const pp of pathParams) {
      for (const [label, v] of [['traversal', '..%2f..%2fetc%2fpasswd'], ['dot-dot', '..'], ['10 KB id', 'i'.repeat(10000)], ['NUL', '%00'], ['SQL', "'%20OR%201=1--"], ['emoji', '%F0%9F%92%A9'], ['negative', '-1'], ['huge number', '9'.repeat(40)], ['bad percent-encoding', '%zz']]) {
        add({ route, label: `path ${pp.name}: ${label}`, method: o.method, target: fill({ [pp.name]: v }), headers: { ...authH, ...(tmpl ? jsonH : {}) }, body: tmpl, expect: 'reject' });
      }
    }
    // Query parameters.
    for (const q of query) {
      const s = norm(q.schema || {});
      for (const [label, v, expect] of queryValues(q.name, s)) add({ route, label: `query ${q.name}: ${label}`, method: o.method, target: `${fill()}?${q.name}=${v}`, headers: authH, expect });
    }
    if (query.some((q) => q.name === 'from')) {
      for (const [label, qs] of [['from after to', 'from=2026-10-31&to=2026-10-01'], ['more than 1096 days', 'from=2020-01-01&to=2026-10-31'], ['year 1 to 9999', 'from=0001-01-01&to=9999-12-31'], ['29 Feb of a common year', 'from=2026-02-01&to=2026-02-29']]) {
        add({ route, label: `range: ${label}`, method: o.method, target: `${fill()}?${qs}`, headers: authH, expect: 'reject' });
      }
    }
    for (const [label, qs, expect] of [['unknown parameter', 'sweep_unknown=1', 'any'], ['bad percent-encoding', `${query[0]?.name || 'x'}=%zz`, query.length ? 'reject' : 'any'], ['lone percent', '%', 'any'], ['duplicated parameter', query[0] ? `${query[0].name}=a&${query[0].name}=b` : 'a=1&a=2', query[0] ? 'reject' : 'any'], ['8 KB query', `x=${'q'.repeat(8000)}`, 'any'], ['NUL in query', 'a=%00', 'any']]) {
      add({ route, label: `query: ${label}`, method: o.method, target: `${fill()}?${qs}`, headers: authH, body: tmpl, ...(tmpl ? { headers: { ...authH, ...jsonH } } : {}), expect });
    }
    // Bodies.
    if (o.method !== 'GET' && (o.method !== 'DELETE' || schema)) {
      for (const [label, b] of MALFORMED) add({ route, label: `body: ${label}`, method: o.method, target: fill(), headers: { ...authH, ...jsonH }, body: b, expect: schema ? 'reject' : 'any' });
      if (schema) {
        for (const c of bodyCases(schema, norm)) add({ route, label: `body ${c.label}`, method: o.method, target: fill(), headers: { ...authH, ...jsonH }, body: c.body, expect: c.expect });
        add({ route, label: 'content-type text/plain', method: o.method, target: fill(), headers: { ...authH, 'Content-Type': 'text/plain' }, body: tmpl, expect: 'any' });
        add({ route, label: 'no content-type', method: o.method, target: fill(), headers: authH, body: tmpl, expect: 'any' });
      }
      const limit = isIngest ? 17 * 1024 * 1024 : 2 * 1024 * 1024;
      add({ route, label: `body over the limit (${limit} bytes)`, method: o.method, target: fill(), headers: { ...authH, ...jsonH }, body: Buffer.alloc(limit, 0x20), expect: 'reject', want: [413, 401, 403] });
    }
  }
  // Methods nobody defined, per path.
  const byPath = {};
  for (const o of ops) (byPath[o.path] ||= []).push(o.method);
  for (const [p, methods] of Object.entries(byPath)) {
    for (const m of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'PROPFIND', 'TRACE']) {
      if (methods.includes(m) || (m === 'GET' && methods.includes('HEAD'))) continue;
      add({ route: `${m} ${p}`, label: 'method not allowed', method: m, target: prefix + p.replace(/\{(\w+)\}/g, 'x'), headers: { Authorization: `Bearer ${token}` }, expect: 'reject' });
    }
  }
  // API paths that do not exist.
  for (const t of [`${prefix}/nope`, `${prefix}/`, '/api', '/api/v2/health', `${prefix}/metrics/summary/extra`, `${prefix}//metrics//summary`, `${prefix}/METRICS/SUMMARY`, `${prefix}/health%00`, `${prefix}/health;x=1`]) {
    add({ route: 'GET (no route)', label: t.slice(0, 60), method: 'GET', target: t, headers: { Authorization: `Bearer ${token}` }, expect: 'reject' });
  }
  // Static paths: traversal and odd encodings.
  for (const t of STATIC_PATHS) {
    add({ route: 'GET static', label: t.slice(0, 60), method: 'GET', target: t, staticPath: !t.startsWith('/api'), expect: 'reject' });
  }
  add({ route: 'POST static', label: 'POST /', method: 'POST', target: '/', headers: { 'Content-Type': 'application/json' }, body: '{}', expect: 'reject' });
  // Headers and request framing.
  for (const [label, extra] of [['100 KB header', { 'X-Big': 'b'.repeat(100000) }], ['100 KB cookie', { Cookie: `otq_session=${'c'.repeat(100000)}` }], ['bad X-Request-Id', { 'X-Request-Id': '<script>' + 'x'.repeat(300) }], ['bad Content-Length', { 'Content-Length': '-1' }]]) {
    add({ route: 'GET /auth/me', label: `headers: ${label}`, method: 'GET', target: `${prefix}/auth/me`, headers: { Authorization: `Bearer ${token}`, ...extra }, expect: label === 'bad X-Request-Id' ? 'any' : 'reject', framing: true });
  }

  log(`sweeping ${ops.length} operations with ${requests.length} requests`);
  const t0 = performance.now();
  const results = [];
  await pool(requests, CONCURRENCY, async (r, i) => {
    results[i] = await raw(base, { method: r.method, target: r.target, headers: r.headers || {}, body: r.body ?? null });
  });
  log(`sweep took ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  const problems = { server_error: [], no_answer: [], no_envelope: [], accepted_bad: [], passwd: [], wrong_status: [] };
  const accepted = [];
  requests.forEach((r, i) => {
    const res = results[i];
    const where = `${r.route} [${r.label}]`;
    if (res.error) {
      // A header beyond the parser's limit may be refused by closing; everything else must be answered.
      if (!r.framing) problems.no_answer.push(`${where}: ${res.error}`);
      else accepted.push(`${where}: connection closed without an answer (${res.error})`);
      return;
    }
    const text = res.body.toString('latin1');
    if (/root:.*:0:0:/.test(text)) problems.passwd.push(`${where}: ${res.status}`);
    if (res.status >= 500) return problems.server_error.push(`${where}: ${res.status} ${text.slice(0, 200)}`);
    if (r.staticPath) {
      const html = /text\/html/.test(res.headers['content-type'] || '');
      if (res.status === 404 && html) return;
      if (res.status >= 400 && !envelopeOk(res)) problems.no_envelope.push(`${where}: ${res.status} ${res.headers['content-type']}`);
      if (res.status < 400) accepted.push(`${where}: ${res.status} ${res.headers['content-type']} (a file inside the static root)`);
      return;
    }
    if (res.status >= 400) {
      if (!envelopeOk(res)) problems.no_envelope.push(`${where}: ${res.status} ${res.headers['content-type']} ${text.slice(0, 120)}`);
      if (r.want && !r.want.includes(res.status)) problems.wrong_status.push(`${where}: ${res.status}, expected ${r.want.join('/')}`);
      return;
    }
    if (r.route.includes('/integrations/{provider}/callback') && res.status === 302) {
      // The OAuth callback always redirects back to the app, with the error in the query.
      const loc = res.headers.location || '';
      if (!(loc.startsWith('/') && !loc.startsWith('//')) && !/^https?:\/\/(localhost|127\.0\.0\.1)/.test(loc)) problems.accepted_bad.push(`${where}: redirects off-site to ${loc}`);
      return;
    }
    if (r.expect === 'reject') problems.accepted_bad.push(`${where}: ${res.status} ${text.slice(0, 160)}`);
    else accepted.push(`${where}: ${res.status}`);
  });

  const statusCounts = countBy(results, (r) => r.error || r.status);
  if (reportPath) {
    writeFileSync(reportPath, JSON.stringify({ base, requests: requests.length, statusCounts, problems, accepted }, null, 2) + '\n');
    log(`full report: ${reportPath}`);
  }
  log(`answers: ${JSON.stringify(statusCounts)}`);
  checks.ok(problems.server_error.length === 0, 'no 5xx', problems.server_error.slice(0, 20).join('\n       '));
  checks.ok(problems.no_answer.length === 0, 'every request answered (no dropped connection, no timeout)', problems.no_answer.slice(0, 20).join('\n       '));
  checks.ok(problems.no_envelope.length === 0, 'every 4xx carries the JSON error envelope (static 404: the HTML page)', problems.no_envelope.slice(0, 20).join('\n       '));
  checks.ok(problems.wrong_status.length === 0, 'credentials problems are 401 (403 for a key of the wrong role), oversized bodies 413', problems.wrong_status.slice(0, 20).join('\n       '));
  checks.ok(problems.accepted_bad.length === 0, 'no invalid input accepted (2xx)', problems.accepted_bad.slice(0, 40).join('\n       '));
  checks.ok(problems.passwd.length === 0, 'no path reaches /etc/passwd', problems.passwd.join(', '));
  if (accepted.length) {
    console.log(`  info ${accepted.length} inputs the API may accept were accepted or closed:`);
    for (const a of accepted.slice(0, 60)) console.log(`       ${a}`);
  }
  // Alive, and the session survived the sweep.
  const health = await raw(base, { target: `${prefix}/health` });
  checks.ok(health.status === 200, 'the server is alive afterwards (/health 200)', String(health.status || health.error));
  const me = await raw(base, { target: `${prefix}/auth/me`, headers: { Authorization: `Bearer ${token}` } });
  checks.ok(me.status === 200, "the sweep's own session still works (/auth/me 200)", String(me.status || me.error));
  if (serverLog) {
    const errors = serverLog().filter((e) => e.level === 'error' || e.event === 'unhandled_exception');
    checks.ok(errors.length === 0, 'no error or unhandled_exception lines in the server log', errors.slice(0, 10).map((e) => JSON.stringify(e).slice(0, 300)).join('\n       '));
  }
  return { requests: requests.length, statusCounts, problems, accepted };
}

if (process.env.OTQ_BASE_URL) {
  const checks = new Checks('bad_input');
  log(`bad_input against ${process.env.OTQ_BASE_URL}`);
  try {
    await sweep(process.env.OTQ_BASE_URL, checks);
  } catch (e) {
    checks.ok(false, 'the sweep ran to the end', e.stack);
  }
  checks.finish();
} else {
  await scenario('bad_input', async ({ cluster, checks, track }) => {
    await seed(cluster, 'fault-Passphrase-2026', { days: 30, orders: 2000 });
    // Provider settings point at a closed port: validators run, nothing leaves the machine.
    const server = track(await startServer('bad_input', cluster.url(), {
      TRUST_PROXY_HEADERS: 'true', STRIPE_WEBHOOK_SECRET: 'whsec_sweep', SHOPIFY_API_KEY: 'sweep', SHOPIFY_API_SECRET: 'sweep-secret',
      META_APP_ID: '1234', META_APP_SECRET: 'sweep-secret', META_API_BASE: 'http://127.0.0.1:9', SHOPIFY_API_BASE: 'http://127.0.0.1:9/{shop}',
      STRIPE_API_BASE: 'http://127.0.0.1:9', OUTBOUND_TIMEOUT_SECONDS: '2',
    }));
    await sweep(server.base, checks, { serverLog: server.events });
    checks.ok(server.proc.exitCode === null, 'the server process is still running');
    await server.stop();
    checks.ok(server.proc.exitCode === 0, 'it exits 0 on SIGTERM', String(server.proc.exitCode));
  });
}
