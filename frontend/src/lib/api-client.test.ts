// api-client against a stubbed fetch: the request it sends and how each kind of reply becomes a value or an ApiError.
import { describe, expect, it, vi } from "vitest";

import { ApiError, apiDelete, apiGet, apiPost } from "./api-client";

type FetchArgs = [input: RequestInfo | URL, init?: RequestInit];

function stubFetch(reply: () => Promise<Response>) {
  const fetchMock = vi.fn((..._args: FetchArgs) => reply());
  vi.stubGlobal("fetch", fetchMock);
  return fetchMock;
}

function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json", ...headers },
  });
}

async function captureApiError(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(
    () => {
      throw new Error("expected the call to fail");
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ApiError);
  return error as ApiError;
}

describe("apiGet", () => {
  it("returns the parsed JSON body of a 2xx response", async () => {
    stubFetch(async () => jsonResponse(200, { status: "ok", version: "0.1.0" }));

    await expect(apiGet<{ status: string; version: string }>("/health")).resolves.toEqual({
      status: "ok",
      version: "0.1.0",
    });
  });

  it("sends a same-origin GET to /api/v1 with Accept: application/json, keeping the caller's headers", async () => {
    const fetchMock = stubFetch(async () => jsonResponse(200, {}));

    await apiGet("/metrics/summary?from=2025-01-01&to=2025-01-31", { headers: { "X-Trace": "t1" } });

    expect(fetchMock).toHaveBeenCalledTimes(1);
    const [url, init] = fetchMock.mock.calls[0] as FetchArgs;
    expect(url).toBe("/api/v1/metrics/summary?from=2025-01-01&to=2025-01-31");
    expect(init?.method).toBe("GET");
    expect(init?.credentials).toBe("same-origin");
    const headers = new Headers(init?.headers);
    expect(headers.get("Accept")).toBe("application/json");
    expect(headers.get("X-Trace")).toBe("t1");
  });

  it("turns the error envelope into an ApiError with status, code, message and request id", async () => {
    stubFetch(async () =>
      jsonResponse(404, {
        error: { code: "not_found", message: "Campaign not found.", request_id: "req-123" },
      }),
    );

    const error = await captureApiError(apiGet("/metrics/campaigns/c_1"));
    expect(error.status).toBe(404);
    expect(error.code).toBe("not_found");
    expect(error.message).toBe("Campaign not found.");
    expect(error.requestId).toBe("req-123");
    expect(error.name).toBe("ApiError");
  });

  it("keeps a 402's plan-limit details for an upgrade prompt", async () => {
    const details = { limit: "integrations.store", plan: "free", allowed: 1, upgrade_to: "growth", upgrade_url: "/billing" };
    stubFetch(async () =>
      jsonResponse(402, {
        error: { code: "payment_required", message: "Your Free plan includes 1 store.", request_id: "req_1", details },
      }),
    );
    const error = await captureApiError(apiGet("/integrations"));
    expect(error.status).toBe(402);
    expect(error.details).toEqual(details);
  });

  it("falls back to the X-Request-Id header when the envelope has no request id", async () => {
    stubFetch(async () =>
      jsonResponse(429, { error: { code: "rate_limited", message: "Slow down." } }, { "X-Request-Id": "hdr-9" }),
    );

    const error = await captureApiError(apiGet("/auth/me"));
    expect(error).toMatchObject({ status: 429, code: "rate_limited", requestId: "hdr-9" });
  });

  it("reports a non-JSON error body as unexpected_response with the HTTP status", async () => {
    stubFetch(
      async () =>
        new Response("<html><body>502 Bad Gateway</body></html>", {
          status: 502,
          headers: { "Content-Type": "text/html", "X-Request-Id": "proxy-1" },
        }),
    );

    const error = await captureApiError(apiGet("/health"));
    expect(error.status).toBe(502);
    expect(error.code).toBe("unexpected_response");
    expect(error.message).toContain("502");
    expect(error.requestId).toBe("proxy-1");
  });

  it("reports JSON that is not the envelope as unexpected_response", async () => {
    stubFetch(async () => jsonResponse(500, { detail: "boom" }));

    const error = await captureApiError(apiGet("/health"));
    expect(error).toMatchObject({ status: 500, code: "unexpected_response", requestId: null });
  });

  it("reports a 2xx response whose body is not JSON as unexpected_response", async () => {
    stubFetch(async () => new Response("<!doctype html><title>OmniTrackIQ</title>", { status: 200 }));

    const error = await captureApiError(apiGet("/health"));
    expect(error).toMatchObject({ status: 200, code: "unexpected_response" });
  });

  it("reports a rejected fetch as network_error with status 0", async () => {
    stubFetch(async () => {
      throw new TypeError("Failed to fetch");
    });

    const error = await captureApiError(apiGet("/health"));
    expect(error.status).toBe(0);
    expect(error.code).toBe("network_error");
    expect(error.requestId).toBeNull();
  });

  it("rethrows an abort unchanged instead of reporting a network error", async () => {
    const abort = new DOMException("The operation was aborted.", "AbortError");
    stubFetch(async () => {
      throw abort;
    });

    await expect(apiGet("/health", { signal: AbortSignal.abort() })).rejects.toBe(abort);
  });

  it("rejects a path without a leading slash before calling fetch", async () => {
    const fetchMock = stubFetch(async () => jsonResponse(200, {}));

    await expect(apiGet("health")).rejects.toBeInstanceOf(TypeError);
    expect(fetchMock).not.toHaveBeenCalled();
  });
});

describe("apiPost", () => {
  it("sends the body as JSON with the session cookie and reads the answer", async () => {
    const fetchMock = stubFetch(async () => jsonResponse(200, { url: "https://checkout.stripe.com/c/pay/cs_1" }));
    await expect(apiPost<{ url: string }>("/billing/checkout", { plan: "growth", interval: "year" })).resolves.toEqual({
      url: "https://checkout.stripe.com/c/pay/cs_1",
    });
    const [input, init] = fetchMock.mock.calls[0] as FetchArgs;
    expect(input).toBe("/api/v1/billing/checkout");
    expect(init?.method).toBe("POST");
    expect(init?.credentials).toBe("same-origin");
    expect(new Headers(init?.headers).get("Content-Type")).toBe("application/json");
    expect(JSON.parse(String(init?.body))).toEqual({ plan: "growth", interval: "year" });
  });
});

describe("apiDelete", () => {
  it("resolves on 204 No Content and sends DELETE", async () => {
    const fetchMock = stubFetch(async () => new Response(null, { status: 204 }));
    await expect(apiDelete("/api-keys/key_1")).resolves.toBeUndefined();
    expect(fetchMock.mock.calls[0]?.[1]?.method).toBe("DELETE");
  });

  it("still turns an error envelope into an ApiError", async () => {
    stubFetch(async () => jsonResponse(403, { error: { code: "forbidden", message: "Admins only." } }));
    const error = await captureApiError(apiDelete("/api-keys/key_1"));
    expect(error.status).toBe(403);
    expect(error.message).toBe("Admins only.");
  });
});
