// Billing data: the account's billing state and the two ways to Stripe: Checkout for a new plan, the
// customer portal for everything else. The plan catalogue lives in usePlans (re-exported here).
"use client";

import { useMutation, useQuery } from "@tanstack/react-query";

import { ApiError, apiGet, apiPost } from "@/lib/api-client";
import type { components } from "@/lib/api-types";

export type { Plan, PlansState } from "@/hooks/usePlans";
export { usePlans } from "@/hooks/usePlans";

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
