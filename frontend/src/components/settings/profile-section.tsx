// Profile: who is logged in. Read-only: the API has no endpoint to change a user's name or email.
import type { Me } from "@/hooks/useAuth";

import { ROLE_LABELS } from "./roles";
import { SettingsCard } from "./settings-card";

export function ProfileSection({ me }: { me: Me }) {
  const rows: [string, string][] = [
    ["Name", me.user.name ?? "Not set"],
    ["Email", me.user.email],
    [`Role in ${me.account.name}`, ROLE_LABELS[me.role]],
  ];
  return (
    <SettingsCard id="profile" title="Profile" description="You, as the people on your team see you.">
      <dl className="grid gap-4 sm:grid-cols-3">
        {rows.map(([label, value]) => (
          <div key={label} className="min-w-0">
            <dt className="text-sm text-muted-foreground">{label}</dt>
            <dd className="mt-1 truncate font-medium" title={value}>
              {value}
            </dd>
          </div>
        ))}
      </dl>
    </SettingsCard>
  );
}
