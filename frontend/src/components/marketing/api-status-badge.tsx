// Shows whether the backend answers GET /api/v1/health, and which version it runs.
"use client";

import { Badge } from "@/components/ui/badge";
import { useApiHealth } from "@/hooks/useApiHealth";

export function ApiStatusBadge() {
  const health = useApiHealth();

  // role="status" announces the change from "Checking" to the result to screen readers.
  return (
    <p role="status" aria-live="polite" data-testid="api-status">
      {health.state === "checking" && <Badge tone="neutral">Checking API…</Badge>}
      {health.state === "online" && <Badge tone="success">API online v{health.version}</Badge>}
      {health.state === "unreachable" && (
        <Badge tone="destructive" title={`Reason: ${health.code}`}>
          API unreachable
        </Badge>
      )}
    </p>
  );
}
