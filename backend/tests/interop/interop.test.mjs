// Interoperability with npm's jsonwebtoken and bcryptjs, against the real server and PostgreSQL.
// Run by scripts/interop.sh, which starts the server and sets OTQ_BASE_URL, JWT_SECRET, DATABASE_URL.
import { test } from "node:test";
import assert from "node:assert/strict";
import jwt from "jsonwebtoken";
import bcrypt from "bcryptjs";
import { api, base, databaseUrl, sql } from "./client.mjs";

const secret = process.env.JWT_SECRET;
assert.ok(base && secret && databaseUrl, "run through scripts/interop.sh");

const password = "interop-Passphrase-42";


async function signup(email) {
  const r = await api("POST", "/auth/signup", { email, password, account_name: "Interop" });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body;
}

test("a token issued by the server verifies with jsonwebtoken, pinned to HS256", async () => {
  const session = await signup(`jwt-${Date.now()}@example.com`);
  const claims = jwt.verify(session.access_token, secret, {
    algorithms: ["HS256"],
    issuer: "omnitrackiq",
    audience: "omnitrackiq-api",
  });
  assert.equal(claims.sub, session.user.id);
  assert.equal(claims.acc, session.account.id);
  assert.equal(claims.role, "owner");
  assert.equal(claims.exp - claims.iat, 86400);
  assert.throws(() => jwt.verify(session.access_token, `${secret}x`, { algorithms: ["HS256"] }));
});

test("a token signed by jsonwebtoken with the secret is accepted by the server", async () => {
  const session = await signup(`sign-${Date.now()}@example.com`);
  const token = jwt.sign({ sub: session.user.id, acc: session.account.id, role: "owner", jti: "interop-1" }, secret, {
    algorithm: "HS256",
    issuer: "omnitrackiq",
    audience: "omnitrackiq-api",
    expiresIn: "1h",
  });
  const me = await api("GET", "/auth/me", null, token);
  assert.equal(me.status, 200, JSON.stringify(me.body));
  assert.equal(me.body.user.id, session.user.id);
  const hs512 = jwt.sign({ sub: session.user.id, acc: session.account.id, role: "owner", jti: "x" }, secret, {
    algorithm: "HS512", issuer: "omnitrackiq", audience: "omnitrackiq-api", expiresIn: "1h",
  });
  assert.equal((await api("GET", "/auth/me", null, hs512)).status, 401);
});

test("the server's bcrypt hash verifies with bcryptjs", async () => {
  const email = `hash-${Date.now()}@example.com`;
  await signup(email);
  const hash = sql("SELECT password_hash FROM users WHERE email = :'p1'", email);
  assert.match(hash, /^\$2b\$12\$/);
  assert.equal(bcrypt.compareSync(password, hash), true);
  assert.equal(bcrypt.compareSync(`${password}!`, hash), false);
});

test("a bcryptjs hash ($2b$ and $2a$) logs in on the server", async () => {
  for (const variant of ["$2b$", "$2a$"]) {
    const email = `import-${variant.slice(2, 3)}-${Date.now()}@example.com`;
    await signup(email);
    const hash = variant + bcrypt.hashSync("imported-Password-7", 10).slice(4);
    sql("UPDATE users SET password_hash = :'p1' WHERE email = :'p2'", hash, email);
    const ok = await api("POST", "/auth/login", { email, password: "imported-Password-7" });
    assert.equal(ok.status, 200, `${variant}: ${JSON.stringify(ok.body)}`);
    const bad = await api("POST", "/auth/login", { email, password: "imported-Password-8" });
    assert.equal(bad.status, 401);
  }
});
