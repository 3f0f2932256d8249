// The plan catalogue (public GET /api/v1/billing/plans), read by the homepage's pricing section and the
// billing page, so the two can never disagree. Plain fetch state, deliberately without TanStack Query: the
// homepage would otherwise ship and boot the query client for one request.
"use client";

import { useCallback, useEffect, useState } from "react";

import { ApiError, apiGet } from "@/lib/api-client";
import type { components } from "@/lib/api-types";

export type Plan = components["schemas"]["Plan"];
type PlansResponse = { data: Plan[]; checkout_available: boolean };

export type PlansState =
  | { state: "loading" }
  | { state: "ready"; plans: Plan[]; checkoutAvailable: boolean }
  | { state: "error"; message: string };

/** The plans, with a `retry` for the error state. */
export function usePlans(): PlansState & { retry: () => void } {
  const [result, setResult] = useState<PlansState>({ state: "loading" });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    apiGet<PlansResponse>("/billing/plans", { signal: controller.signal })
      .then((body) => setResult({ state: "ready", plans: body.data, checkoutAvailable: body.checkout_available }))
      .catch((error: unknown) => {
        if (controller.signal.aborted) return;
        setResult({
          state: "error",
          message: error instanceof ApiError ? error.message : "The plans could not be loaded.",
        });
      });
    return () => controller.abort();
  }, [attempt]);

  const retry = useCallback(() => {
    setResult({ state: "loading" });
    setAttempt((n) => n + 1);
  }, []);
  return { ...result, retry };
}
