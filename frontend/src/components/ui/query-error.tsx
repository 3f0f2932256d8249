// A failed query: a plan limit (402) becomes an upgrade prompt, anything else an error with retry.
"use client";

import { ErrorState } from "@/components/ui/error-state";
import { PlanLimitPrompt } from "@/components/ui/upgrade-prompt";
import type { ApiError } from "@/lib/api-client";

export function QueryError({ error, onRetry, className }: { error: ApiError; onRetry: () => void; className?: string }) {
  if (error.status === 402) return <PlanLimitPrompt error={error} className={className} />;
  return <ErrorState message={error.message} onRetry={onRetry} className={className} />;
}
