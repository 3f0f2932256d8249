// Which Meta ad accounts a connection syncs: every one its login can read, or a chosen few. Owners
// and admins only; the list is asked of Meta each time the panel opens.
"use client";

import { useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent } from "react";

import { Button } from "@/components/ui/button";
import { EmptyState, SkeletonRows } from "@/components/ui/placeholders";
import { QueryError } from "@/components/ui/query-error";
import { ActionError } from "@/components/ui/upgrade-prompt";
import {
  useAdAccounts,
  useUpdateIntegration,
  type AdAccount,
  type AdAccountList,
  type Integration,
} from "@/hooks/useIntegrations";
import { cn } from "@/lib/cn";

import { AD_ACCOUNT_STATUS, chosenAdAccountIds } from "./display";
import { StatusBadge } from "./status-badge";

type Selection = AdAccountList["selection"];
type Save = (ids: string[] | null) => void;

function summary(connection: Integration): string {
  const ids = chosenAdAccountIds(connection);
  if (!ids) return "Every ad account this login can read";
  return ids.length === 1 ? "1 chosen ad account" : `${ids.length} chosen ad accounts`;
}

function ModeOption({
  name,
  checked,
  label,
  hint,
  onSelect,
}: {
  name: string;
  checked: boolean;
  label: string;
  hint?: string;
  onSelect: () => void;
}) {
  const id = useId();
  return (
    <div className="flex items-start gap-2">
      <input id={id} type="radio" name={name} checked={checked} onChange={onSelect} className="mt-1 size-4 shrink-0" />
      <label htmlFor={id} className="text-sm">
        <span className="font-medium">{label}</span>
        {hint && <span className="block text-muted-foreground">{hint}</span>}
      </label>
    </div>
  );
}

function AccountOption({
  account,
  checked,
  onChange,
}: {
  account: AdAccount;
  checked: boolean;
  onChange: (checked: boolean) => void;
}) {
  const id = useId();
  const detailsId = useId();
  const status = AD_ACCOUNT_STATUS[account.status];
  return (
    <li className="flex items-start gap-3 py-2">
      <input
        id={id}
        type="checkbox"
        checked={checked}
        onChange={(event) => onChange(event.target.checked)}
        aria-describedby={detailsId}
        className="mt-1 size-4 shrink-0"
      />
      <div className="min-w-0 flex-1 space-y-1 text-sm">
        <label htmlFor={id} className="block font-medium break-words">
          {account.name}
        </label>
        <div id={detailsId} className="flex flex-wrap items-center gap-x-2 gap-y-1 text-muted-foreground">
          <span className="tabular-nums">{account.id}</span>
          <span>
            {account.currency} · {account.timezone}
          </span>
          <StatusBadge tone={status.tone} label={status.label} />
        </div>
      </div>
    </li>
  );
}

/** The choice itself. Ticking or clearing an account while "All" is on switches to choosing, from all ticked. */
function AdAccountForm({
  list,
  saving,
  onSave,
  onCancel,
}: {
  list: AdAccountList;
  saving: boolean;
  onSave: Save;
  onCancel: () => void;
}) {
  const [selection, setSelection] = useState<Selection>(list.selection);
  const [chosen, setChosen] = useState(() => new Set(list.data.filter((a) => a.selected).map((a) => a.id)));
  const name = useId();
  const hintId = useId();
  const nothingChosen = selection === "chosen" && chosen.size === 0;

  const toggle = (id: string, on: boolean) => {
    const next = new Set(selection === "all" ? list.data.map((a) => a.id) : chosen);
    if (on) next.add(id);
    else next.delete(id);
    setChosen(next);
    setSelection("chosen");
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (nothingChosen) return;
    onSave(selection === "all" ? null : list.data.filter((a) => chosen.has(a.id)).map((a) => a.id));
  };

  return (
    <form onSubmit={submit}>
      <fieldset disabled={saving} className="space-y-3">
        <legend className="sr-only">Which ad accounts sync</legend>
        <ModeOption
          name={name}
          checked={selection === "all"}
          label="All ad accounts"
          hint="Includes accounts this login gains later."
          onSelect={() => setSelection("all")}
        />
        <ModeOption
          name={name}
          checked={selection === "chosen"}
          label="Only the ones I choose"
          onSelect={() => setSelection("chosen")}
        />
        <ul aria-label="Ad accounts" className="divide-y divide-border border-y border-border">
          {list.data.map((account) => (
            <AccountOption
              key={account.id}
              account={account}
              checked={selection === "all" || chosen.has(account.id)}
              onChange={(on) => toggle(account.id, on)}
            />
          ))}
        </ul>
        {nothingChosen && (
          <p id={hintId} className="text-sm text-muted-foreground">
            Choose at least one ad account, or All ad accounts.
          </p>
        )}
        <div className="flex flex-wrap gap-2">
          <Button type="submit" size="sm" disabled={nothingChosen} aria-describedby={nothingChosen ? hintId : undefined}>
            {saving ? "Saving…" : "Save"}
          </Button>
          <Button size="sm" variant="ghost" onClick={onCancel}>
            Cancel
          </Button>
        </div>
      </fieldset>
    </form>
  );
}

function PanelBody({
  connectionId,
  saving,
  onSave,
  onCancel,
}: {
  connectionId: string;
  saving: boolean;
  onSave: Save;
  onCancel: () => void;
}) {
  const list = useAdAccounts(connectionId, true);
  if (list.isPending) return <SkeletonRows label="Loading ad accounts" rows={3} className="mt-0" />;
  // 409 (reconnect Meta) and 403 will not change by asking again; Meta failing (502) may.
  if (list.isError) {
    return list.error.status === 409 || list.error.status === 403 ? (
      <ActionError error={list.error} />
    ) : (
      <QueryError error={list.error} onRetry={() => void list.refetch()} className="p-4" />
    );
  }
  if (list.data.data.length === 0) {
    return (
      <EmptyState className="mt-0">
        This Meta login can&apos;t read any ad accounts. Give it access in Meta Business Settings, then look again.
      </EmptyState>
    );
  }
  return <AdAccountForm list={list.data} saving={saving} onSave={onSave} onCancel={onCancel} />;
}

/** "Choose ad accounts" and, while open, the panel: focus moves in, Escape closes it and returns focus. */
export function AdAccountPicker({ connection }: { connection: Integration }) {
  const update = useUpdateIntegration(connection.id);
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const panel = useRef<HTMLDivElement>(null);
  const panelId = useId();
  const headingId = useId();

  useEffect(() => {
    if (open) panel.current?.focus();
  }, [open]);

  const finish = () => {
    setOpen(false);
    button.current?.focus();
  };
  // The panel stays while a save is on its way, so its answer (or error) has a place to show.
  const close = () => {
    if (!update.isPending) finish();
  };
  const toggle = () => {
    if (open) {
      close();
    } else {
      update.reset();
      setOpen(true);
    }
  };
  const save: Save = (ids) => update.mutate({ settings: { ad_account_ids: ids } }, { onSuccess: finish });
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key !== "Escape") return;
    event.stopPropagation();
    close();
  };

  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <p className="text-sm">
          <span className="text-muted-foreground">Ad accounts: </span>
          {summary(connection)}
        </p>
        <Button
          ref={button}
          size="sm"
          variant="secondary"
          aria-expanded={open}
          aria-controls={open ? panelId : undefined}
          onClick={toggle}
        >
          Choose ad accounts
        </Button>
      </div>
      {update.isSuccess && !open && (
        <p role="status" className="text-sm text-muted-foreground">
          Saved. The next sync reads these ad accounts.
        </p>
      )}
      {open && (
        <div
          ref={panel}
          id={panelId}
          role="group"
          aria-labelledby={headingId}
          tabIndex={-1}
          onKeyDown={onKeyDown}
          className={cn(
            "space-y-3 rounded-md border border-border bg-background p-3",
            "focus-visible:outline-2 focus-visible:outline-ring",
          )}
        >
          <h4 id={headingId} className="text-sm font-semibold">
            Ad accounts to sync
          </h4>
          <p className="text-sm text-muted-foreground">
            The ad accounts this Meta login can read. From the next sync, only the ones chosen here are read.
          </p>
          <PanelBody connectionId={connection.id} saving={update.isPending} onSave={save} onCancel={close} />
          <ActionError error={update.error} />
        </div>
      )}
    </div>
  );
}
