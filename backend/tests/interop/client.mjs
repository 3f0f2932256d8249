// The server's JSON API and database as the interop tests reach them: scripts/interop.sh sets
// OTQ_BASE_URL and DATABASE_URL.
import { execFileSync } from "node:child_process";

export const base = process.env.OTQ_BASE_URL;
export const databaseUrl = process.env.DATABASE_URL;

/** One psql query; the values travel as psql variables (:'p1', :'p2'...), never inside the SQL text. */
export function sql(query, ...params) {
  const args = [databaseUrl, "-qAt", "-v", "ON_ERROR_STOP=1"];
  params.forEach((p, i) => args.push("-v", `p${i + 1}=${p}`));
  return execFileSync("psql", args, { input: query, encoding: "utf8" }).trim();
}

export async function api(method, path, body, token) {
  const headers = { "Content-Type": "application/json" };
  if (token) headers.Authorization = `Bearer ${token}`;
  const res = await fetch(`${base}/api/v1${path}`, { method, headers, body: body ? JSON.stringify(body) : undefined });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}
