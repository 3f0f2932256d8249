// One connection on a provider's card: its status in words a person can act on, last and next sync,
// frequency, which Meta ad accounts sync, "Sync now", reconnect, disconnect (after a confirmation)
// and its recent runs.
"use client";

import { useEffect, useId, useRef, useState } from "react";

import { Button } from "@/components/ui/button";
import {
  useDisconnect,
  useSyncNow,
  useUpdateIntegration,
  type Integration,
  type Provider,
  type SyncFrequency,
} from "@/hooks/useIntegrations";
import { cn } from "@/lib/cn";

import { AdAccountPicker } from "./ad-account-picker";
import { connectBlocker, useConnectFlow } from "./connect-forms";
import { canManage, canSync, connectionName, FREQUENCIES, frequencyLabel, PROVIDER_STATUS, type Role } from "./display";
import { ActionError, UpgradePrompt } from "@/components/ui/upgrade-prompt";
import { StatusBadge } from "./status-badge";
import { SyncRuns } from "./sync-runs";
import { Timestamp } from "./timestamp";

type Props = {
  connection: Integration;
  provider: Provider;
  role: Role | undefined;
  timeZone: string;
  now: number;
  highlighted: boolean;
  /** WooCommerce reconnects through the card's form: the keys must be pasted again. */
  onReconnectWithKeys: (storeUrl: string) => void;
};

/** For admins: start connecting again (Meta, Shopify) or reopen the card's key form (WooCommerce). */
function Reconnect({
  connection,
  provider,
  onReconnectWithKeys,
}: Pick<Props, "connection" | "provider" | "onReconnectWithKeys">) {
  const flow = useConnectFlow(provider.provider);
  const blocker = connectBlocker(provider, true);
  const noteId = useId();
  const reconnect = () => {
    if (provider.auth === "api_key") onReconnectWithKeys(connection.external_account_id);
    else if (provider.provider === "shopify") flow.start({ shop: connection.external_account_id });
    else flow.start();
  };
  return (
    <div className="space-y-2">
      <Button
        size="sm"
        onClick={reconnect}
        disabled={blocker !== null || flow.busy}
        aria-describedby={blocker ? noteId : undefined}
      >
        {flow.busy ? `Opening ${provider.label}…` : "Reconnect"}
      </Button>
      {blocker && (
        <p id={noteId} className="text-sm text-muted-foreground">
          {blocker}
        </p>
      )}
      <ActionError error={flow.error} />
    </div>
  );
}

type ConfirmProps = { name: string; label: string; busy: boolean; onConfirm: () => void; onCancel: () => void };

/** The question before disconnecting, with focus on the safe answer and Escape to back out. */
function DisconnectConfirm({ name, label, busy, onConfirm, onCancel }: ConfirmProps) {
  const headingId = useId();
  const cancel = useRef<HTMLButtonElement>(null);
  useEffect(() => cancel.current?.focus(), []);
  return (
    <div
      role="group"
      aria-labelledby={headingId}
      onKeyDown={(event) => {
        if (event.key === "Escape") onCancel();
      }}
      className="space-y-3 rounded-md border border-destructive/40 bg-destructive/5 p-3"
    >
      <p id={headingId} className="text-sm font-medium">
        Disconnect {name}?
      </p>
      <p className="text-sm text-muted-foreground">
        Syncing stops and the stored {label} credentials are deleted. Data already imported and the sync history are
        kept; you can reconnect at any time.
      </p>
      <div className="flex flex-wrap gap-2">
        <Button
          size="sm"
          className="bg-destructive text-white hover:bg-destructive/90"
          onClick={onConfirm}
          disabled={busy}
        >
          {busy ? "Disconnecting…" : "Disconnect"}
        </Button>
        <Button ref={cancel} size="sm" variant="ghost" onClick={onCancel} disabled={busy}>
          Cancel
        </Button>
      </div>
    </div>
  );
}

function FrequencySelect({ connection, editable }: { connection: Integration; editable: boolean }) {
  const id = useId();
  const update = useUpdateIntegration(connection.id);
  if (!editable) {
    return (
      <div>
        <dt className="text-muted-foreground">Frequency</dt>
        <dd>{frequencyLabel(connection.sync_frequency_minutes)}</dd>
      </div>
    );
  }
  return (
    <div>
      <dt>
        <label htmlFor={id} className="text-muted-foreground">
          Sync frequency
        </label>
      </dt>
      <dd className="mt-1 space-y-1">
        <select
          id={id}
          value={(update.isPending ? update.variables.sync_frequency_minutes : undefined) ?? connection.sync_frequency_minutes}
          disabled={update.isPending}
          onChange={(event) => update.mutate({ sync_frequency_minutes: Number(event.target.value) as SyncFrequency })}
          className={cn(
            "h-10 w-full max-w-56 rounded-md border border-border bg-background px-2 text-sm",
            "focus-visible:outline-2 focus-visible:outline-ring",
          )}
        >
          {FREQUENCIES.map((f) => (
            <option key={f.minutes} value={f.minutes}>
              {f.label}
            </option>
          ))}
        </select>
        <ActionError error={update.error} />
      </dd>
    </div>
  );
}

function idleNextSync(status: Integration["status"]): string {
  if (status === "paused") return "Not while paused";
  if (status === "error") return "Stopped until reconnected";
  return "None";
}

/** Last sync, next sync and frequency; a provider that does not sync yet shows when it was connected. */
function SyncTimes({
  connection: c,
  provider,
  manage,
  running,
  timeZone,
  now,
}: Pick<Props, "connection" | "provider" | "timeZone" | "now"> & { manage: boolean; running: boolean }) {
  if (!provider.syncs) {
    if (!c.connected_at) return null;
    return (
      <dl className="text-sm">
        <dt className="text-muted-foreground">Connected</dt>
        <dd>
          <Timestamp value={c.connected_at} timeZone={timeZone} now={now} />
        </dd>
      </dl>
    );
  }
  const scheduled = c.status === "connected" || c.status === "syncing";
  return (
    <dl className="grid gap-3 text-sm sm:grid-cols-3">
      <div>
        <dt className="text-muted-foreground">Last sync</dt>
        <dd>
          {c.last_synced_at ? (
            <Timestamp value={c.last_synced_at} timeZone={timeZone} now={now} />
          ) : running ? (
            "First sync in progress"
          ) : (
            "Not synced yet"
          )}
        </dd>
      </div>
      <div>
        <dt className="text-muted-foreground">Next sync</dt>
        <dd>
          {!scheduled ? (
            idleNextSync(c.status)
          ) : running ? (
            "Running now"
          ) : c.next_sync_at ? (
            <Timestamp value={c.next_sync_at} timeZone={timeZone} now={now} />
          ) : (
            "Soon"
          )}
        </dd>
      </div>
      {c.status !== "disconnected" && <FrequencySelect connection={c} editable={manage} />}
    </dl>
  );
}

export function ConnectionItem({ connection: c, provider, role, timeZone, now, highlighted, onReconnectWithKeys }: Props) {
  const syncNow = useSyncNow(c.id);
  const disconnect = useDisconnect(c.id);
  const [confirming, setConfirming] = useState(false);
  const disconnectButton = useRef<HTMLButtonElement>(null);
  const manage = canManage(role);
  const name = connectionName(c);
  const queued = c.pending_sync === "queued" && c.status === "connected";
  const badge = queued ? { label: "Sync queued", tone: "active" as const } : PROVIDER_STATUS[c.status];
  const running = c.status === "syncing" || c.pending_sync === "running";
  const live = running || c.pending_sync === "queued";

  const wasConfirming = useRef(false);
  useEffect(() => {
    if (wasConfirming.current && !confirming) disconnectButton.current?.focus();  // back where the question came from
    wasConfirming.current = confirming;
  }, [confirming]);

  const closeConfirm = () => {
    setConfirming(false);
    disconnect.reset();
  };

  return (
    <li
      data-testid={`connection-${c.id}`}
      className={cn("space-y-3 rounded-md border border-border p-3 sm:p-4", highlighted && "ring-2 ring-success")}
    >
      <div className="flex flex-wrap items-start justify-between gap-2">
        <div className="min-w-0">
          <p className="truncate font-medium" title={name}>
            {name}
          </p>
          {name !== c.external_account_id && (
            <p className="truncate text-xs text-muted-foreground" title={c.external_account_id}>
              {c.external_account_id}
            </p>
          )}
        </div>
        <StatusBadge tone={badge.tone} label={badge.label} />
      </div>

      {c.status === "error" && (
        <div className="space-y-2">
          <p className="text-sm text-destructive">{c.last_error ?? `Reconnect ${provider.label} to resume syncing.`}</p>
          {manage ? (
            <Reconnect connection={c} provider={provider} onReconnectWithKeys={onReconnectWithKeys} />
          ) : (
            <p className="text-sm text-muted-foreground">Ask an owner or admin of this account to reconnect it.</p>
          )}
        </div>
      )}
      {c.status === "paused" && (
        <UpgradePrompt
          announce={false}
          testId="paused-notice"
          message={c.paused_reason ?? "Not synced: your plan covers fewer connections of this kind."}
        />
      )}
      {c.status === "disconnected" && (
        <div className="space-y-2">
          <p className="text-sm text-muted-foreground">
            Disconnected
            {c.disconnected_at && (
              <>
                {" "}
                <Timestamp value={c.disconnected_at} timeZone={timeZone} now={now} />
              </>
            )}
            . Data already imported and the sync history are kept.
          </p>
          {manage && <Reconnect connection={c} provider={provider} onReconnectWithKeys={onReconnectWithKeys} />}
        </div>
      )}
      {c.status !== "error" && c.status !== "disconnected" && c.last_error && (
        <p className="text-sm text-amber-800 dark:text-amber-200">Last attempt: {c.last_error}</p>
      )}

      <SyncTimes connection={c} provider={provider} manage={manage} running={running} timeZone={timeZone} now={now} />
      {manage && provider.provider === "facebook_ads" && c.status !== "disconnected" && <AdAccountPicker connection={c} />}

      {c.status !== "disconnected" && (canSync(role) || manage) && !confirming && (
        <div className="flex flex-wrap gap-2">
          {provider.syncs && canSync(role) && c.status !== "error" && (
            <Button
              size="sm"
              variant="secondary"
              onClick={() => syncNow.mutate()}
              disabled={running || syncNow.isPending}
            >
              {running ? "Syncing…" : syncNow.isPending ? "Queuing…" : "Sync now"}
            </Button>
          )}
          {manage && (
            <Button ref={disconnectButton} size="sm" variant="ghost" onClick={() => setConfirming(true)}>
              Disconnect
            </Button>
          )}
        </div>
      )}
      {syncNow.isSuccess && !syncNow.isPending && live && (
        <p role="status" className="text-sm text-muted-foreground">
          Sync queued. This page updates as it runs.
        </p>
      )}
      <ActionError error={syncNow.error} />
      {confirming && (
        <DisconnectConfirm
          name={name}
          label={provider.label}
          busy={disconnect.isPending}
          onConfirm={() => disconnect.mutate(undefined, { onSuccess: () => setConfirming(false) })}
          onCancel={closeConfirm}
        />
      )}
      <ActionError error={disconnect.error} />

      {provider.syncs && <SyncRuns id={c.id} live={live} timeZone={timeZone} now={now} />}
    </li>
  );
}
