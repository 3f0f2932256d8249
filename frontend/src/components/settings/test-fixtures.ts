// Shared test data for the settings components: a session and the people of one account.
import type { Me } from "@/hooks/useAuth";
import type { Member, Role } from "@/hooks/useAccount";

export function meAs(role: Role, overrides: Partial<Me["account"]> = {}): Me {
  const account = {
    id: "acct_1",
    name: "Acme Store",
    timezone: "UTC",
    currency: "USD",
    plan: "free" as const,
    role,
    ...overrides,
  };
  return {
    user: { id: "usr_me", email: "me@acme.test", name: "Mia Owner" },
    account,
    role,
    accounts: [account],
  };
}

export function member(id: string, role: Role, email = `${id}@acme.test`, name: string | null = null): Member {
  return { user: { id, email, name }, role, joined_at: "2026-01-15T10:00:00Z" };
}
