// Every provider, grouped by category (ad platforms, stores, analytics), with a skeleton while
// loading, an error with retry, and an empty state.
"use client";

import { ErrorState } from "@/components/ui/error-state";
import { useIntegrations } from "@/hooks/useIntegrations";

import { CATEGORIES, type Role } from "./display";
import { ProviderCard } from "./provider-card";
import { useNow } from "./timestamp";

function CatalogueSkeleton() {
  return (
    <div aria-busy="true" aria-label="Loading integrations" className="space-y-8">
      {CATEGORIES.map((category) => (
        <div key={category.id} className="space-y-3">
          <div className="h-5 w-32 animate-pulse rounded bg-muted" />
          <div className="grid gap-4 lg:grid-cols-2">
            <div className="h-44 animate-pulse rounded-lg border border-border bg-muted" />
            <div className="h-44 animate-pulse rounded-lg border border-border bg-muted" />
          </div>
        </div>
      ))}
    </div>
  );
}

export function ProviderCatalogue({
  role,
  timeZone,
  highlightId,
}: {
  role: Role | undefined;
  timeZone: string;
  highlightId: string | null;
}) {
  const integrations = useIntegrations();
  const now = useNow();

  if (integrations.isPending) return <CatalogueSkeleton />;
  if (integrations.isError) {
    return <ErrorState message={integrations.error.message} onRetry={() => void integrations.refetch()} />;
  }
  if (integrations.data.length === 0) {
    return (
      <p className="rounded-lg border border-dashed border-border p-6 text-sm text-muted-foreground">
        This server offers no integrations. Rows can still be sent through the ingest API (docs/ingest.md).
      </p>
    );
  }
  return (
    <div className="space-y-10">
      {CATEGORIES.map((category) => {
        const providers = integrations.data.filter((p) => p.category === category.id);
        if (providers.length === 0) return null;
        const headingId = `integrations-${category.id}`;
        return (
          <section key={category.id} aria-labelledby={headingId}>
            <h2 id={headingId} className="text-lg font-semibold">
              {category.title}
            </h2>
            <p className="mb-4 text-sm text-muted-foreground">{category.blurb}</p>
            <div className="grid items-start gap-4 lg:grid-cols-2">
              {providers.map((provider) => (
                <ProviderCard
                  key={provider.provider}
                  provider={provider}
                  role={role}
                  timeZone={timeZone}
                  now={now}
                  highlightId={highlightId}
                />
              ))}
            </div>
          </section>
        );
      })}
    </div>
  );
}
