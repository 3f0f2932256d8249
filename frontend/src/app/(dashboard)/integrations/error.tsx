// Error boundary for /integrations: says what happened and offers a retry, inside the dashboard frame.
"use client";

import { ErrorState } from "@/components/ui/error-state";

export default function IntegrationsError({ reset }: Readonly<{ error: Error & { digest?: string }; reset: () => void }>) {
  return <ErrorState message="The integrations page failed to load. Trying again usually fixes it." onRetry={reset} />;
}
