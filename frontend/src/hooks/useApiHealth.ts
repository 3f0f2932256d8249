// useApiHealth: asks GET /api/v1/health once on mount; the marketing page's only server data.
"use client";

import { useEffect, useState } from "react";

import { ApiError, apiGet } from "@/lib/api-client";
import type { components } from "@/lib/api-types";

/** Body of GET /api/v1/health, generated from the backend's openapi.json. */
export type HealthResponse = components["schemas"]["Health"];

export type ApiHealth =
  | { state: "checking" }
  | { state: "online"; version: string }
  | { state: "unreachable"; code: string };

export function useApiHealth(): ApiHealth {
  const [health, setHealth] = useState<ApiHealth>({ state: "checking" });

  useEffect(() => {
    const controller = new AbortController();
    apiGet<HealthResponse>("/health", { signal: controller.signal, cache: "no-store" })
      .then((body) => {
        setHealth(
          body.status === "ok" && typeof body.version === "string"
            ? { state: "online", version: body.version }
            : { state: "unreachable", code: "unexpected_response" },
        );
      })
      .catch((error: unknown) => {
        if (controller.signal.aborted) return;
        setHealth({ state: "unreachable", code: error instanceof ApiError ? error.code : "unexpected_response" });
      });
    return () => controller.abort();
  }, []);

  return health;
}
