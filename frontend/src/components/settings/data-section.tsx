// Your data: the owner downloads everything the account holds, or erases the account for good
// (typing its id to confirm, as the API requires). Others see who can.
"use client";

import { useState } from "react";

import { FormError } from "@/components/auth/field";
import { Button } from "@/components/ui/button";
import type { Me } from "@/hooks/useAuth";
import { useEraseAccount, useExportAccount } from "@/hooks/useDataRights";

import { ConfirmDialog, dangerText } from "./confirm-dialog";
import { Note, SettingsCard, StatusNote } from "./settings-card";

export function DataSection({ me }: { me: Me }) {
  const { account } = me;
  const exporter = useExportAccount();
  const erase = useEraseAccount();
  const [confirming, setConfirming] = useState(false);
  const [typed, setTyped] = useState("");
  const owner = me.role === "owner";

  return (
    <SettingsCard
      id="data"
      title="Your data"
      description="Take everything this account holds with you, or erase the account and all its data."
    >
      {!owner ? (
        <Note>Only the account&apos;s owners can export or erase its data.</Note>
      ) : (
        <div className="space-y-6">
          <div className="space-y-2">
            <h3 className="text-sm font-medium">Export</h3>
            <p className="text-sm text-muted-foreground">
              A .tar.gz archive with one CSV file per table (orders, customers, refunds, ad spend, connections, sync
              history, team, API keys, audit log) and the account as JSON. Credentials and passwords are never
              included.
            </p>
            <FormError message={exporter.error?.message ?? null} />
            <Button variant="secondary" onClick={() => exporter.mutate()} disabled={exporter.isPending}>
              {exporter.isPending ? "Preparing the archive…" : "Download all data"}
            </Button>
            <StatusNote message={exporter.data ? `Downloaded ${exporter.data}.` : null} />
          </div>
          <div className="space-y-2 border-t border-border pt-6">
            <h3 className="text-sm font-medium text-destructive">Erase this account</h3>
            <p className="text-sm text-muted-foreground">
              Erases {account.name} and everything it holds — orders, customers, ad spend, connections and their
              credentials, syncs, API keys, team access and the audit log — for good. Your login and your other
              accounts stay. A paid plan must be cancelled first.
            </p>
            <Button variant="ghost" className={dangerText} onClick={() => setConfirming(true)}>
              Erase account…
            </Button>
          </div>
        </div>
      )}
      {confirming && (
        <ConfirmDialog
          title={`Erase ${account.name}?`}
          confirmLabel="Erase for good"
          pending={erase.isPending}
          confirmDisabled={typed !== account.id}
          error={erase.error?.message ?? null}
          onConfirm={() => erase.mutate(typed)}
          onCancel={() => {
            setConfirming(false);
            setTyped("");
            erase.reset();
          }}
        >
          <p>This cannot be undone. Download an export first if you may need the data.</p>
          <label htmlFor="erase-confirm" className="mt-4 block font-medium text-foreground">
            Type <code className="rounded bg-muted px-1 font-mono text-xs">{account.id}</code> to confirm
          </label>
          <input
            id="erase-confirm"
            autoComplete="off"
            spellCheck={false}
            value={typed}
            onChange={(event) => setTyped(event.target.value.trim())}
            className="mt-2 w-full rounded-md border border-input bg-background px-3 py-2 font-mono text-sm text-foreground"
          />
        </ConfirmDialog>
      )}
    </SettingsCard>
  );
}
