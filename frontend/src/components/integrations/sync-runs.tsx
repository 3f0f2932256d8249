// A connection's recent sync runs behind a disclosure: when, how it was started, the outcome, rows and the error.
"use client";

import { useId, useState } from "react";

import { Button } from "@/components/ui/button";
import { ErrorState } from "@/components/ui/error-state";
import { useSyncRuns, type SyncRun } from "@/hooks/useIntegrations";
import { cn } from "@/lib/cn";

import { duration, RUN_STATUS, RUN_TRIGGER } from "./display";
import { StatusBadge } from "./status-badge";
import { Timestamp } from "./timestamp";

const count = new Intl.NumberFormat("en-US");

function RunItem({ run, timeZone, now }: { run: SyncRun; timeZone: string; now: number }) {
  const status = RUN_STATUS[run.status];
  const took = run.started_at && run.finished_at ? duration(run.started_at, run.finished_at) : null;
  return (
    <li className="space-y-1 py-2 text-sm" data-testid={`run-${run.id}`}>
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
        <StatusBadge tone={status.tone} label={status.label} />
        <span className="text-muted-foreground">{RUN_TRIGGER[run.trigger]}</span>
        {run.attempt !== null && run.attempt !== undefined && run.attempt > 1 && (
          <span className="text-muted-foreground">attempt {run.attempt}</span>
        )}
      </div>
      <p>
        <Timestamp value={run.started_at ?? run.queued_at} timeZone={timeZone} now={now} />
      </p>
      <p className="tabular-nums text-muted-foreground">
        {count.format(run.rows_read)} rows read · {count.format(run.rows_written)} written
        {took && ` · took ${took}`}
      </p>
      {run.error && <p className="break-words text-destructive">{run.error}</p>}
    </li>
  );
}

function RunList({ id, live, timeZone, now }: { id: string; live: boolean; timeZone: string; now: number }) {
  const runs = useSyncRuns(id, { enabled: true, live });
  if (runs.isPending) {
    return (
      <div aria-busy="true" aria-label="Loading sync history" className="space-y-2 py-2">
        <div className="h-12 animate-pulse rounded-md bg-muted" />
        <div className="h-12 animate-pulse rounded-md bg-muted" />
      </div>
    );
  }
  if (runs.isError) {
    return <ErrorState className="mt-2 p-4" message={runs.error.message} onRetry={() => void runs.refetch()} />;
  }
  if (runs.data.length === 0) {
    return (
      <p className="py-2 text-sm text-muted-foreground">No syncs yet. The first one starts shortly after connecting.</p>
    );
  }
  return (
    <>
      <ol className="divide-y divide-border">
        {runs.data.map((run) => (
          <RunItem key={run.id} run={run} timeZone={timeZone} now={now} />
        ))}
      </ol>
      {runs.hasNextPage && (
        <Button variant="ghost" size="sm" onClick={() => void runs.fetchNextPage()} disabled={runs.isFetchingNextPage}>
          {runs.isFetchingNextPage ? "Loading…" : "Show older syncs"}
        </Button>
      )}
    </>
  );
}

export function SyncRuns({ id, live, timeZone, now }: { id: string; live: boolean; timeZone: string; now: number }) {
  const [open, setOpen] = useState(false);
  const panelId = useId();
  return (
    <div>
      <button
        type="button"
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => setOpen((v) => !v)}
        className={cn(
          "inline-flex h-10 items-center gap-1 rounded-md text-sm font-medium text-primary hover:underline",
          "focus-visible:outline-2 focus-visible:outline-ring",
        )}
      >
        <span aria-hidden="true" className={cn("inline-block transition-transform", open && "rotate-90")}>
          ›
        </span>
        Recent syncs
      </button>
      <div id={panelId} hidden={!open}>
        {open && <RunList id={id} live={live} timeZone={timeZone} now={now} />}
      </div>
    </div>
  );
}
