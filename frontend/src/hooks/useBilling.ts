// Billing data: the plan catalogue (public; the pricing section and the billing page read the same
// GET /api/v1/billing/plans, so they can never disagree), the account's billing state, and the
// two ways to Stripe: Checkout for a new plan, the customer portal for everything else.
"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { useCallback, useEffect, useState } from "react";

import { ApiError, apiGet, apiPost } from "@/lib/api-client";
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

export type BillingState = components["schemas"]["BillingState"];

export function useBillingMe() {
  return useQuery<BillingState, ApiError>({
    queryKey: ["billing", "me"],
    queryFn: async ({ signal }) => (await apiGet<{ data: BillingState }>("/billing/me", { signal })).data,
  });
}

/** Starts Stripe Checkout (or opens the portal) and sends the browser there. */
function useStripeRedirect<Body>(path: string) {
  return useMutation<{ url: string }, ApiError, Body>({
    mutationFn: (body) => apiPost<{ url: string }>(path, body ?? {}),
    onSuccess: ({ url }) => window.location.assign(url),
  });
}

export const useCheckout = () => useStripeRedirect<{ plan: string; interval: "month" | "year" }>("/billing/checkout");
export const usePortal = () => useStripeRedirect<void>("/billing/portal");
