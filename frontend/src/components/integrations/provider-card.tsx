// One provider: what it brings, its overall status, its connections, and the way to connect it
// (or an honest "coming soon" / "not set up on this server").
"use client";

import { useId, useState } from "react";

import type { Provider } from "@/hooks/useIntegrations";

import { ConnectSection, type ConnectFormState } from "./connect-forms";
import { ConnectionItem } from "./connection-item";
import { canManage, PROVIDER_STATUS, type Role } from "./display";
import { StatusBadge } from "./status-badge";

function monogram(label: string): string {
  return label
    .split(/\s+/)
    .slice(0, 2)
    .map((word) => word.charAt(0))
    .join("")
    .toUpperCase();
}

export function ProviderCard({
  provider,
  role,
  timeZone,
  now,
  highlightId,
}: {
  provider: Provider;
  role: Role | undefined;
  timeZone: string;
  now: number;
  highlightId: string | null;
}) {
  const headingId = useId();
  const [form, setForm] = useState<ConnectFormState>({ open: false });
  const status = provider.available
    ? PROVIDER_STATUS[provider.status]
    : { label: "Coming soon", tone: "muted" as const };
  const live = provider.connections.filter((c) => c.status !== "disconnected");

  return (
    <article
      aria-labelledby={headingId}
      data-testid={`provider-${provider.provider}`}
      className="flex min-w-0 flex-col gap-4 rounded-lg border border-border bg-card p-4 sm:p-5"
    >
      <header className="flex items-start gap-3">
        <span
          aria-hidden="true"
          className="flex size-10 shrink-0 items-center justify-center rounded-md bg-accent text-sm font-semibold text-accent-foreground"
        >
          {monogram(provider.label)}
        </span>
        <div className="min-w-0 flex-1">
          <h3 id={headingId} className="font-semibold">
            {provider.label}
          </h3>
          <p className="text-sm text-muted-foreground">
            {provider.auth === "api_key" ? "Connects with REST API keys" : `Connects with your ${provider.label} login`}
          </p>
        </div>
        <StatusBadge tone={status.tone} label={status.label} />
      </header>

      {!provider.available && (
        <p className="text-sm text-muted-foreground">
          {provider.label} is coming soon and can&apos;t be connected yet.
          {provider.category !== "analytics" &&
            " Until then, its figures can be sent through the ingest API (docs/ingest.md)."}
        </p>
      )}
      {provider.available && !provider.syncs && provider.connections.length > 0 && (
        <p className="rounded-md bg-muted p-3 text-sm text-muted-foreground">
          Automatic syncing for {provider.label} isn&apos;t available yet. Your connection is saved and will start
          syncing when it is.
        </p>
      )}

      {provider.connections.length > 0 && (
        <ul className="space-y-3" aria-label={`${provider.label} connections`}>
          {provider.connections.map((connection) => (
            <ConnectionItem
              key={connection.id}
              connection={connection}
              provider={provider}
              role={role}
              timeZone={timeZone}
              now={now}
              highlighted={connection.id === highlightId}
              onReconnectWithKeys={(storeUrl) => setForm({ open: true, storeUrl })}
            />
          ))}
        </ul>
      )}

      {provider.available && (
        <div className="mt-auto">
          <ConnectSection
            provider={provider}
            allowed={canManage(role)}
            hasConnections={live.length > 0}
            form={form}
            onFormChange={setForm}
          />
        </div>
      )}
    </article>
  );
}
