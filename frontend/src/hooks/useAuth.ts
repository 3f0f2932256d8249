// The session: who is logged in (GET /auth/me), logging in and out, signing up, and the guard
// that sends a logged-out visitor of a dashboard page to /login?next=<that page>.
"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { usePathname, useRouter } from "next/navigation";
import { useEffect } from "react";

import { ApiError, apiGet, apiPost } from "@/lib/api-client";
import type { components } from "@/lib/api-types";

export { safeNext } from "@/lib/auth";

export type Me = components["schemas"]["Me"];
export type Session = components["schemas"]["Session"];
export type SignupRequest = components["schemas"]["SignupRequest"];
export type LoginRequest = components["schemas"]["LoginRequest"];

export const meKey = ["auth", "me"] as const;

/** The logged-in user and account; `error.status === 401` means logged out. */
export function useMe() {
  return useQuery<Me, ApiError>({ queryKey: meKey, queryFn: ({ signal }) => apiGet<Me>("/auth/me", { signal }) });
}

/** For dashboard pages: the session, or a redirect to the login page that comes back here. */
export function useRequireAuth() {
  const me = useMe();
  const router = useRouter();
  const pathname = usePathname();
  const loggedOut = me.error?.status === 401;
  useEffect(() => {
    if (!loggedOut) return;
    const here = `${pathname}${window.location.search}`;
    router.replace(`/login?next=${encodeURIComponent(here)}`);
  }, [loggedOut, pathname, router]);
  return me;
}

function useSessionMutation<Body>(path: string) {
  const client = useQueryClient();
  return useMutation<Session, ApiError, Body>({
    mutationFn: (body) => apiPost<Session>(path, body),
    onSuccess: () => client.invalidateQueries({ queryKey: meKey }),
  });
}

export const useLogin = () => useSessionMutation<LoginRequest>("/auth/login");
export const useSignup = () => useSessionMutation<SignupRequest>("/auth/signup");

/** Makes another of the user's accounts the current one; every cached figure belonged to the old one. */
export function useSwitchAccount() {
  const client = useQueryClient();
  return useMutation<Session, ApiError, string>({
    mutationFn: (accountId) => apiPost<Session>("/auth/switch-account", { account_id: accountId }),
    onSuccess: async () => {
      client.removeQueries({ predicate: (q) => q.queryKey[0] !== meKey[0] });
      await client.invalidateQueries({ queryKey: meKey });
    },
  });
}

export function useLogout() {
  const client = useQueryClient();
  const router = useRouter();
  return useMutation<unknown, ApiError, void>({
    mutationFn: () => apiPost("/auth/logout"),
    onSettled: () => {
      client.clear();  // nothing of this account stays in memory
      router.replace("/login");
    },
  });
}
