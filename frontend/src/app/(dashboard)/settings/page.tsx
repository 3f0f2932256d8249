// /settings: the user's profile and password, the account's name, time zone and currency, the team
// and API keys, the owner's export and erasure, one card each under a row of anchors.
"use client";

import { AccountSection } from "@/components/settings/account-section";
import { ApiKeysSection } from "@/components/settings/api-keys-section";
import { DataSection } from "@/components/settings/data-section";
import { PasswordSection } from "@/components/settings/password-section";
import { ProfileSection } from "@/components/settings/profile-section";
import { SectionSkeleton } from "@/components/settings/settings-card";
import { SettingsNav } from "@/components/settings/settings-nav";
import { TeamSection } from "@/components/settings/team-section";
import { ErrorState } from "@/components/ui/error-state";
import { useMe } from "@/hooks/useAuth";

export default function SettingsPage() {
  const me = useMe();
  return (
    <div className="mx-auto max-w-4xl">
      <h1 className="text-xl font-semibold">Settings</h1>
      <SettingsNav />
      <div className="mt-6 space-y-6">
        {me.isPending && <SectionSkeleton label="Loading settings" rows={5} />}
        {me.isError && <ErrorState message={me.error.message} onRetry={() => void me.refetch()} />}
        {me.data && (
          <>
            <ProfileSection me={me.data} />
            <PasswordSection email={me.data.user.email} />
            {/* Keyed by account: switching accounts starts these forms afresh. */}
            <AccountSection key={`account-${me.data.account.id}`} me={me.data} />
            <TeamSection key={`team-${me.data.account.id}`} me={me.data} />
            <ApiKeysSection key={`keys-${me.data.account.id}`} me={me.data} />
            <DataSection key={`data-${me.data.account.id}`} me={me.data} />
          </>
        )}
      </div>
    </div>
  );
}
