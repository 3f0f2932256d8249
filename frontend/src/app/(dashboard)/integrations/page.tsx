// /integrations: every provider by category with its connections, the outcome of a connect round
// trip, and what the user's role allows. Sections live in components/integrations.
"use client";

import { Suspense } from "react";

import { AccessNote } from "@/components/integrations/access-note";
import { CallbackBanner, useCallbackOutcome } from "@/components/integrations/callback-banner";
import { ProviderCatalogue } from "@/components/integrations/provider-catalogue";
import { useMe } from "@/hooks/useAuth";

function Integrations() {
  const me = useMe();
  const { outcome, dismiss } = useCallbackOutcome();
  return (
    <div className="mx-auto max-w-6xl">
      <header className="mb-6">
        <h1 className="text-xl font-semibold">Integrations</h1>
        <p className="mt-1 text-sm text-muted-foreground">
          Connect your ad platforms and store so spend and orders flow in on their own. Times are in{" "}
          {me.data?.account.timezone ?? "your account's time zone"}.
        </p>
      </header>
      <CallbackBanner outcome={outcome} onDismiss={dismiss} />
      <AccessNote role={me.data?.role} />
      <ProviderCatalogue
        role={me.data?.role}
        timeZone={me.data?.account.timezone ?? "UTC"}
        highlightId={outcome?.kind === "connected" ? outcome.id : null}
      />
    </div>
  );
}

export default function IntegrationsPage() {
  return (
    <Suspense>
      <Integrations />
    </Suspense>
  );
}
