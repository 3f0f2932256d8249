// A failed query: a plan limit (402) becomes an upgrade prompt, anything else an error with retry.
"use client";

import { ErrorState } from "@/components/ui/error-state";
import { UpgradePrompt } from "@/components/ui/upgrade-prompt";
import type { ApiError } from "@/lib/api-client";

export function QueryError({ error, onRetry, className }: { error: ApiError; onRetry: () => void; className?: string }) {
  if (error.status === 402) {
    return (
      <UpgradePrompt
        message={error.message}
        upgradeTo={error.details?.upgrade_to}
        upgradeUrl={error.details?.upgrade_url}
        className={className}
      />
    );
  }
  return <ErrorState message={error.message} onRetry={onRetry} className={className} />;
}
