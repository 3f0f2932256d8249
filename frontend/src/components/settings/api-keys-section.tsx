// API keys (owners and admins): the active keys by prefix, creating one (its secret is shown once,
// here, with a copy button) and revoking one after a confirmation.
"use client";

import { useEffect, useId, useRef, useState, type FormEvent } from "react";

import { Field, FormError } from "@/components/auth/field";
import { Button } from "@/components/ui/button";
import { ErrorState } from "@/components/ui/error-state";
import type { Me } from "@/hooks/useAuth";
import {
  useApiKeys,
  useCreateApiKey,
  useRevokeApiKey,
  type ApiKey,
  type ApiKeyRole,
  type CreatedApiKey,
} from "@/hooks/useAccount";
import { formatDateTime } from "@/lib/format";

import { ConfirmDialog, dangerText } from "./confirm-dialog";
import { canManage } from "./roles";
import { SelectField } from "./select-field";
import { Note, SectionSkeleton, SettingsCard } from "./settings-card";

const KEY_ROLES: Record<ApiKeyRole, { label: string; hint: string }> = {
  read: { label: "Read", hint: "Reads metrics and settings, as a viewer can." },
  ingest: { label: "Ingest", hint: "Only sends orders and ad spend to the ingest API." },
};
const KEY_ROLE_ORDER: ApiKeyRole[] = ["read", "ingest"];

/** The new key's secret, once: copy it, then dismiss it for good. */
export function NewKeyNotice({ created, onDismiss }: { created: CreatedApiKey; onDismiss: () => void }) {
  const input = useRef<HTMLInputElement>(null);
  const [copy, setCopy] = useState<"idle" | "copied" | "manual">("idle");

  useEffect(() => {
    input.current?.focus();
    input.current?.select();
  }, []);

  async function copyKey() {
    try {
      await navigator.clipboard.writeText(created.key);
      setCopy("copied");
    } catch {
      // No clipboard (e.g. not a secure context): select the text for Ctrl+C instead.
      input.current?.select();
      setCopy("manual");
    }
  }

  return (
    <div
      data-testid="new-api-key"
      className="space-y-3 rounded-md border border-amber-300 bg-amber-50 p-4 text-sm text-amber-950"
    >
      <p className="font-semibold">Copy your new key “{created.name}” now</p>
      <p>You won&apos;t see it again: we only keep a fingerprint. If you lose it, revoke it and create another.</p>
      <label htmlFor="new-api-key-secret" className="sr-only">
        Secret of the key {created.name}
      </label>
      <div className="flex flex-col gap-2 sm:flex-row">
        <input
          ref={input}
          id="new-api-key-secret"
          readOnly
          value={created.key}
          onFocus={(e) => e.target.select()}
          className="h-11 min-w-0 flex-1 rounded-md border border-amber-300 bg-white px-3 font-mono text-sm text-neutral-900"
        />
        <Button variant="secondary" onClick={() => void copyKey()}>
          {copy === "copied" ? "Copied" : "Copy"}
        </Button>
      </div>
      <p role="status">{copy === "manual" ? "Copying is blocked here: the key is selected, press Ctrl+C (⌘C)." : ""}</p>
      <p>
        Send it as <code className="font-mono">Authorization: Bearer {created.prefix}…</code>
      </p>
      <Button onClick={onDismiss}>I&apos;ve stored it safely</Button>
    </div>
  );
}

function CreateKeyForm({ onCreated }: { onCreated: (key: CreatedApiKey) => void }) {
  const create = useCreateApiKey();
  const id = useId();
  const [name, setName] = useState("");
  const [role, setRole] = useState<ApiKeyRole>("read");
  const [error, setError] = useState<string>();

  function submit(event: FormEvent) {
    event.preventDefault();
    const found = name.trim() ? undefined : "Name the key after what uses it, e.g. n8n.";
    setError(found);
    if (found) return;
    create.mutate(
      { name: name.trim(), role },
      {
        onSuccess: (created) => {
          setName("");
          onCreated(created);
          create.reset();  // the secret lives in the notice only, not in this mutation
        },
      },
    );
  }

  return (
    <form noValidate onSubmit={submit} aria-labelledby={`${id}-heading`} className="space-y-3">
      <h3 id={`${id}-heading`} className="text-sm font-semibold">
        Create a key
      </h3>
      <FormError message={create.error?.message ?? null} />
      <div className="grid gap-3 sm:grid-cols-[1fr_10rem_auto] sm:items-start">
        <Field
          label="Name"
          id={`${id}-name`}
          name="name"
          autoComplete="off"
          maxLength={100}
          placeholder="n8n orders sync"
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={error}
        />
        <SelectField
          id={`${id}-role`}
          label="Access"
          value={role}
          onChange={(e) => setRole(e.target.value === "ingest" ? "ingest" : "read")}
        >
          {KEY_ROLE_ORDER.map((r) => (
            <option key={r} value={r}>
              {KEY_ROLES[r].label}
            </option>
          ))}
        </SelectField>
        <div className="space-y-1">
          <span aria-hidden="true" className="hidden h-5 sm:block" />
          <Button type="submit" className="w-full sm:w-auto" disabled={create.isPending}>
            {create.isPending ? "Creating…" : "Create key"}
          </Button>
        </div>
      </div>
      <p className="text-sm text-muted-foreground">{KEY_ROLES[role].hint}</p>
    </form>
  );
}

function KeyRow({ apiKey, timeZone }: { apiKey: ApiKey; timeZone: string }) {
  const revoke = useRevokeApiKey();
  const [confirming, setConfirming] = useState(false);
  return (
    <li className="flex flex-col gap-3 py-4 sm:flex-row sm:items-center sm:justify-between">
      <div className="min-w-0">
        <p className="flex flex-wrap items-center gap-2">
          <span className="truncate font-medium">{apiKey.name}</span>
          <span className="rounded bg-muted px-1.5 py-0.5 text-xs text-muted-foreground">
            {KEY_ROLES[apiKey.role].label}
          </span>
        </p>
        <p className="mt-1 font-mono text-sm text-muted-foreground">{apiKey.prefix}…</p>
        <p className="mt-1 text-sm text-muted-foreground">
          Created {formatDateTime(apiKey.created_at, timeZone)} ·{" "}
          {apiKey.last_used_at ? `last used ${formatDateTime(apiKey.last_used_at, timeZone)}` : "never used"}
        </p>
      </div>
      <Button
        variant="ghost"
        size="sm"
        className={`self-start sm:self-center ${dangerText}`}
        onClick={() => setConfirming(true)}
      >
        Revoke<span className="sr-only"> the key {apiKey.name}</span>
      </Button>
      {confirming && (
        <ConfirmDialog
          title={`Revoke “${apiKey.name}”?`}
          confirmLabel="Revoke key"
          pending={revoke.isPending}
          error={revoke.error?.message}
          onConfirm={() => revoke.mutate(apiKey.id, { onSuccess: () => setConfirming(false) })}
          onCancel={() => {
            revoke.reset();
            setConfirming(false);
          }}
        >
          Anything using {apiKey.prefix}… stops working at once. This cannot be undone.
        </ConfirmDialog>
      )}
    </li>
  );
}

function KeyList({ timeZone }: { timeZone: string }) {
  const keys = useApiKeys();
  if (keys.isPending) return <SectionSkeleton label="Loading API keys" rows={2} />;
  if (keys.isError) return <ErrorState message={keys.error.message} onRetry={() => void keys.refetch()} />;
  if (keys.data.length === 0) {
    return (
      <p className="rounded-md border border-dashed border-border p-6 text-center text-sm text-muted-foreground">
        No API keys yet. Create one to send orders and spend from n8n or a script, or to read metrics.
      </p>
    );
  }
  return (
    <ul className="divide-y divide-border" aria-label="API keys">
      {keys.data.map((key) => (
        <KeyRow key={key.id} apiKey={key} timeZone={timeZone} />
      ))}
    </ul>
  );
}

export function ApiKeysSection({ me }: { me: Me }) {
  const [created, setCreated] = useState<CreatedApiKey | null>(null);
  return (
    <SettingsCard
      id="api-keys"
      title="API keys"
      description="For machines: scripts, n8n or your warehouse. Each key belongs to this account, not to you."
    >
      {canManage(me.role) ? (
        <div className="space-y-6">
          {created && <NewKeyNotice created={created} onDismiss={() => setCreated(null)} />}
          <KeyList timeZone={me.account.timezone} />
          <div className="border-t border-border pt-6">
            <CreateKeyForm onCreated={setCreated} />
          </div>
        </div>
      ) : (
        <Note>Only owners and admins can see and create API keys.</Note>
      )}
    </SettingsCard>
  );
}
