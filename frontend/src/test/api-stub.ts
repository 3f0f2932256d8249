// A fetch stand-in for component tests: answers "METHOD /path" (query ignored) from a table and
// records every call, so a test can assert what the page asked the API for.
import { vi } from "vitest";

export type StubRequest = { method: string; path: string; query: URLSearchParams; body: unknown };
export type StubReply = { status?: number; body: unknown };
export type StubHandler = StubReply | ((request: StubRequest) => StubReply);

export function stubApi(routes: Record<string, StubHandler>) {
  const calls: StubRequest[] = [];
  const fetchMock = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(String(input), "http://localhost");
    const path = url.pathname.replace(/^\/api\/v1/, "");
    const method = init?.method ?? "GET";
    const body: unknown = typeof init?.body === "string" ? JSON.parse(init.body) : undefined;
    const request = { method, path, query: url.searchParams, body };
    calls.push(request);
    const handler = routes[`${method} ${path}`];
    if (!handler) {
      const error = { code: "not_found", message: `No stub for ${method} ${path}` };
      return new Response(JSON.stringify({ error }), { status: 404, headers: { "Content-Type": "application/json" } });
    }
    const reply = typeof handler === "function" ? handler(request) : handler;
    return new Response(JSON.stringify(reply.body), {
      status: reply.status ?? 200,
      headers: { "Content-Type": "application/json", "X-Request-Id": "req_test" },
    });
  });
  vi.stubGlobal("fetch", fetchMock);
  return { calls, callsTo: (method: string, path: string) => calls.filter((c) => c.method === method && c.path === path) };
}
