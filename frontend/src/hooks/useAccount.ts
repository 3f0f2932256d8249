// Account settings: the account's name, time zone and currency, the password, the team (members and
// invitations) and API keys; each mutation refreshes exactly the queries whose answers it changes.
"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import { ApiError, apiDelete, apiGet, apiPost, apiRequest } from "@/lib/api-client";
import type { components } from "@/lib/api-types";

import { meKey, type Me, type Session } from "./useAuth";

export type Account = components["schemas"]["Account"];
export type AccountInput = components["schemas"]["AccountInput"];
export type Role = components["schemas"]["Role"];
export type Member = components["schemas"]["Member"];
export type Invitation = components["schemas"]["Invitation"];
export type ApiKey = components["schemas"]["ApiKey"];
export type ApiKeyRole = ApiKey["role"];
/** POST /api-keys: the key's row plus its secret, which the server never shows again. */
export type CreatedApiKey = ApiKey & { key: string };
export type People = { members: Member[]; invitations: Invitation[] };

export const membersKey = ["account", "members"] as const;
export const apiKeysKey = ["account", "api-keys"] as const;
// Team size counts toward the plan: the billing page's usage figures move with it.
const billingKey = ["billing", "me"] as const;

/**
 * PATCH /accounts/current with only the fields that change. The cached session shows the new
 * values at once; a new time zone or currency changes every figure, so metrics are refetched.
 */
export function useUpdateAccount() {
  const client = useQueryClient();
  return useMutation<Account, ApiError, AccountInput>({
    mutationFn: (changes) => apiRequest<Account>("PATCH", "/accounts/current", changes),
    onSuccess: async (account, changes) => {
      client.setQueryData<Me>(meKey, (me) =>
        me && {
          ...me,
          account,
          accounts: me.accounts.map((a) => (a.id === account.id ? account : a)),
        },
      );
      const refreshes = [client.invalidateQueries({ queryKey: meKey })];
      if (changes.timezone !== undefined || changes.currency !== undefined) {
        refreshes.push(client.invalidateQueries({ queryKey: ["metrics"] }));
      }
      await Promise.all(refreshes);
    },
  });
}

export type PasswordChange = { current_password: string; new_password: string };

/** POST /auth/password: the server ends every other session and sets a fresh cookie for this one. */
export function useChangePassword() {
  return useMutation<Session, ApiError, PasswordChange>({
    mutationFn: (body) => apiPost<Session>("/auth/password", body),
  });
}

/** Members and pending invitations of the current account. */
export function usePeople() {
  return useQuery<People, ApiError>({
    queryKey: membersKey,
    queryFn: async ({ signal }) => {
      const body = await apiGet<{ data: Member[]; invitations: Invitation[] }>("/accounts/current/members", { signal });
      return { members: body.data, invitations: body.invitations };
    },
  });
}

function useTeamMutation<Result, Variables>(mutationFn: (variables: Variables) => Promise<Result>) {
  const client = useQueryClient();
  return useMutation<Result, ApiError, Variables>({
    mutationFn,
    onSuccess: () =>
      Promise.all([
        client.invalidateQueries({ queryKey: membersKey }),
        client.invalidateQueries({ queryKey: billingKey }),
      ]),
  });
}

/** Mails a single-use link (7 days); a 402 carries the plan's team_members limit in `error.details`. */
export const useInviteMember = () =>
  useTeamMutation((body: { email: string; role: Role }) =>
    apiPost<Invitation>("/accounts/current/members", body),
  );

export const useRevokeInvitation = () =>
  useTeamMutation((id: string) => apiDelete(`/accounts/current/invitations/${encodeURIComponent(id)}`));

/** Removes a member, or the caller themself (leaving the account ends their session in it). */
export const useRemoveMember = () =>
  useTeamMutation((userId: string) => apiDelete(`/accounts/current/members/${encodeURIComponent(userId)}`));

/** Changes a member's role; the caller's own role is in the session, so that is refetched too. */
export function useChangeMemberRole() {
  const client = useQueryClient();
  return useMutation<Member, ApiError, { userId: string; role: Role }>({
    mutationFn: ({ userId, role }) =>
      apiRequest<Member>("PATCH", `/accounts/current/members/${encodeURIComponent(userId)}`, { role }),
    onSuccess: () =>
      Promise.all([client.invalidateQueries({ queryKey: membersKey }), client.invalidateQueries({ queryKey: meKey })]),
  });
}

/** Active API keys (admins only: pass `enabled: false` for other roles, whom the server refuses). */
export function useApiKeys(enabled = true) {
  return useQuery<ApiKey[], ApiError>({
    queryKey: apiKeysKey,
    queryFn: async ({ signal }) => (await apiGet<{ data: ApiKey[] }>("/api-keys", { signal })).data,
    enabled,
  });
}

/** Creates a key; its secret is only in this mutation's data, never in the query cache. */
export function useCreateApiKey() {
  const client = useQueryClient();
  return useMutation<CreatedApiKey, ApiError, { name: string; role: ApiKeyRole }>({
    mutationFn: (body) => apiPost<CreatedApiKey>("/api-keys", body),
    onSuccess: () => client.invalidateQueries({ queryKey: apiKeysKey }),
  });
}

export function useRevokeApiKey() {
  const client = useQueryClient();
  return useMutation<void, ApiError, string>({
    mutationFn: (id) => apiDelete(`/api-keys/${encodeURIComponent(id)}`),
    onSuccess: () => client.invalidateQueries({ queryKey: apiKeysKey }),
  });
}
