// The one place that calls fetch: same-origin JSON requests to /api/v1, failures as a typed ApiError.
import type { components } from "./api-types";

/** Base path of the backend's REST API; the server serves this app from the same origin. */
export const API_BASE_PATH = "/api/v1";

/** Codes this client produces itself, besides the server's neutral codes (not_found, unauthenticated, ...). */
export type ClientErrorCode = "network_error" | "unexpected_response";

/**
 * A failed API call. `status` is the HTTP status, or 0 when no response arrived;
 * `code` is the server's error code or a ClientErrorCode; `requestId` matches the server's log line.
 */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly requestId: string | null;
  /** Facts for the UI, e.g. which plan limit a 402 reached and which plan lifts it. */
  readonly details: PlanLimitDetails | null;

  constructor(init: {
    status: number;
    code: string;
    message: string;
    requestId: string | null;
    details?: PlanLimitDetails | null;
  }) {
    super(init.message);
    this.name = "ApiError";
    this.status = init.status;
    this.code = init.code;
    this.requestId = init.requestId;
    this.details = init.details ?? null;
  }
}

/** `error.details` of a 402 payment_required: the limit reached and the way up. */
export type PlanLimitDetails = components["schemas"]["PlanLimitDetails"];

/** What a caller may set on a GET; method, body and credentials are the client's to decide. */
export type ApiGetInit = Omit<RequestInit, "method" | "body" | "credentials">;

type ErrorEnvelope = { error: { code: string; message: string; request_id?: string; details?: unknown } };

function isPlanLimitDetails(value: unknown): value is PlanLimitDetails {
  return (
    typeof value === "object" &&
    value !== null &&
    "limit" in value &&
    typeof value.limit === "string" &&
    "plan" in value &&
    typeof value.plan === "string" &&
    "upgrade_url" in value &&
    typeof value.upgrade_url === "string"
  );
}

function isErrorEnvelope(value: unknown): value is ErrorEnvelope {
  if (typeof value !== "object" || value === null || !("error" in value)) return false;
  const error: unknown = value.error;
  return (
    typeof error === "object" &&
    error !== null &&
    "code" in error &&
    typeof error.code === "string" &&
    "message" in error &&
    typeof error.message === "string" &&
    (!("request_id" in error) || typeof error.request_id === "string")
  );
}

function isAbortError(error: unknown): boolean {
  return error instanceof Error && error.name === "AbortError";
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

export type ApiMethod = "GET" | "POST" | "PATCH" | "DELETE";

/**
 * Sends `method` to `/api/v1${path}` (path starts with "/") with `body` as JSON, and returns the
 * parsed JSON body, typed by the caller. The session travels as the same-origin cookie.
 * Throws ApiError on a non-2xx status, a body that is not JSON, or no response at all.
 * An abort through `init.signal` is rethrown unchanged, so callers can tell it from a failure.
 */
export async function apiRequest<T>(method: ApiMethod, path: string, body?: unknown, init?: ApiGetInit): Promise<T> {
  if (!path.startsWith("/")) {
    throw new TypeError(`api: path must start with "/", got "${path}"`);
  }
  const headers = new Headers(init?.headers);
  headers.set("Accept", "application/json");
  if (body !== undefined) headers.set("Content-Type", "application/json");

  let response: Response;
  try {
    response = await fetch(`${API_BASE_PATH}${path}`, {
      ...init,
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "same-origin",
    });
  } catch (error) {
    if (isAbortError(error)) throw error;
    throw new ApiError({
      status: 0,
      code: "network_error",
      message: "Could not reach the server. Check your connection and try again.",
      requestId: null,
    });
  }

  const headerRequestId = response.headers.get("X-Request-Id");
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    if (isAbortError(error)) throw error;
    throw new ApiError({
      status: response.status,
      code: "network_error",
      message: "The connection was interrupted while reading the server's response.",
      requestId: headerRequestId,
    });
  }
  // 204 No Content (a DELETE, a logout) has no body to parse.
  if (response.ok && (response.status === 204 || text === "")) return undefined as T;
  const parsed = parseJson(text);

  if (response.ok && parsed.ok) return parsed.value as T;

  if (!response.ok && parsed.ok && isErrorEnvelope(parsed.value)) {
    const { code, message, request_id, details } = parsed.value.error;
    throw new ApiError({
      status: response.status,
      code,
      message,
      requestId: request_id ?? headerRequestId,
      details: isPlanLimitDetails(details) ? details : null,
    });
  }

  throw new ApiError({
    status: response.status,
    code: "unexpected_response",
    message: `Unexpected response from the server (HTTP ${response.status}).`,
    requestId: headerRequestId,
  });
}

/** GET `/api/v1${path}`; see apiRequest. */
export function apiGet<T>(path: string, init?: ApiGetInit): Promise<T> {
  return apiRequest<T>("GET", path, undefined, init);
}

/** POST `/api/v1${path}` with a JSON body; see apiRequest. */
export function apiPost<T>(path: string, body: unknown = {}, init?: ApiGetInit): Promise<T> {
  return apiRequest<T>("POST", path, body, init);
}

/** DELETE `/api/v1${path}`; resolves when the server answers 2xx (usually 204 with no body). */
export async function apiDelete(path: string, init?: ApiGetInit): Promise<void> {
  await apiRequest<unknown>("DELETE", path, undefined, init);
}
