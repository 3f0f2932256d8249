// What the user's role allows on this page, said once at the top rather than on every disabled control.
import { canManage, canSync, type Role } from "./display";

export function AccessNote({ role }: { role: Role | undefined }) {
  if (!role || canManage(role)) return null;
  return (
    <p className="mb-6 rounded-md border border-border bg-muted p-3 text-sm text-muted-foreground" data-testid="access-note">
      {canSync(role)
        ? "As an analyst you can start a sync. Connecting, disconnecting, and changing sync frequency or ad accounts is for owners and admins."
        : "As a viewer you can see integrations and their syncs. Ask an owner or admin to connect or change them."}
    </p>
  );
}
