// A failed query: a plan limit (402) becomes an upgrade prompt, anything else an error with retry.
"use client";

import Link from "next/link";

import { ErrorState } from "@/components/ui/error-state";
import type { ApiError } from "@/lib/api-client";
import { cn } from "@/lib/cn";

export function UpgradePrompt({ error, className }: { error: ApiError; className?: string }) {
  const details = error.details;
  return (
    <div role="alert" className={cn("rounded-lg border border-primary/40 bg-accent p-4 text-accent-foreground", className)} data-testid="upgrade-prompt">
      <p>{error.message}</p>
      {details && (
        <Link
          href={details.upgrade_url.startsWith("/") ? details.upgrade_url : "/billing"}
          className="mt-2 inline-block font-medium underline underline-offset-2"
        >
          {details.upgrade_to ? `Upgrade to ${details.upgrade_to[0]?.toUpperCase()}${details.upgrade_to.slice(1)}` : "See plans"}
        </Link>
      )}
    </div>
  );
}

export function QueryError({ error, onRetry, className }: { error: ApiError; onRetry: () => void; className?: string }) {
  if (error.status === 402) return <UpgradePrompt error={error} className={className} />;
  return <ErrorState message={error.message} onRetry={onRetry} className={className} />;
}
