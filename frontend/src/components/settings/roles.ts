// Roles in words, and the backend's rules on who may change whom, so the page only offers what the
// server will accept (it checks again: backend/app/services/account_service.cpp).
import type { Role } from "@/hooks/useAccount";

export const ROLE_LABELS: Record<Role, string> = {
  owner: "Owner",
  admin: "Admin",
  analyst: "Analyst",
  viewer: "Viewer",
};

export const ROLE_HINTS: Record<Role, string> = {
  owner: "Everything, including billing and other owners",
  admin: "Settings, team, billing, integrations and API keys",
  analyst: "Dashboards, and can start data syncs",
  viewer: "Dashboards, read-only",
};

const ORDER: Role[] = ["owner", "admin", "analyst", "viewer"];

/** Owners and admins change account settings, the team and API keys. */
export function canManage(role: Role): boolean {
  return role === "owner" || role === "admin";
}

/** The roles `actor` may give: only an owner grants (or takes away) the owner role. */
export function assignableRoles(actor: Role): Role[] {
  if (actor === "owner") return ORDER;
  return canManage(actor) ? ORDER.filter((r) => r !== "owner") : [];
}

/** What the caller may do to one member; the last owner can be neither demoted nor removed. */
export function memberPermissions(actor: Role, target: Role, isSelf: boolean, owners: number) {
  const lastOwner = target === "owner" && owners <= 1;
  const ownerRule = target !== "owner" || actor === "owner";
  return {
    lastOwner,
    changeRole: canManage(actor) && ownerRule && !lastOwner,
    // Anyone may leave; removing someone else takes an admin, and an owner to remove an owner.
    remove: !lastOwner && (isSelf || (canManage(actor) && ownerRule)),
  };
}
