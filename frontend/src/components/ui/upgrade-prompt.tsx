// A plan limit reached (HTTP 402): the server's explanation and a link to the plan that lifts it;
// ActionError shows any failed action that way or, for other errors, in the server's words.
import { ButtonLink } from "@/components/ui/button";
import { ApiError } from "@/lib/api-client";
import { cn } from "@/lib/cn";

/** "growth" → "Growth". */
export function planName(id: string): string {
  return id.charAt(0).toUpperCase() + id.slice(1);
}

/** Only same-site paths are followed, whatever the response says. */
function billingHref(url: string | undefined): string {
  return url && url.startsWith("/") && !url.startsWith("//") ? url : "/billing";
}

export function UpgradePrompt({
  message,
  upgradeTo,
  upgradeUrl,
  announce = true,
  testId = "upgrade-prompt",
  className,
}: {
  message: string;
  upgradeTo?: string | null;
  upgradeUrl?: string;
  /** An alert for the answer to an action; a standing notice (a paused connection) is not announced. */
  announce?: boolean;
  testId?: string;
  className?: string;
}) {
  return (
    <div
      role={announce ? "alert" : undefined}
      data-testid={testId}
      className={cn(
        "flex flex-col gap-3 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-950 sm:flex-row sm:items-center sm:justify-between",
        "dark:border-amber-700 dark:bg-amber-950 dark:text-amber-100",
        className,
      )}
    >
      <p>{message}</p>
      <ButtonLink href={billingHref(upgradeUrl)} size="sm" className="self-start sm:self-auto">
        {upgradeTo ? `Upgrade to ${planName(upgradeTo)}` : "See plans"}
      </ButtonLink>
    </div>
  );
}

/** The upgrade prompt for a 402 answer, or null for any other error. */
export function PlanLimitPrompt({ error, className }: { error: ApiError; className?: string }) {
  if (error.status !== 402) return null;
  return (
    <UpgradePrompt
      message={error.message}
      upgradeTo={error.details?.upgrade_to}
      upgradeUrl={error.details?.upgrade_url}
      className={className}
    />
  );
}

export function ActionError({ error, className }: { error: ApiError | null; className?: string }) {
  if (!error) return null;
  if (error.status === 402) return <PlanLimitPrompt error={error} className={className} />;
  return (
    <p role="alert" className={cn("text-sm text-destructive", className)}>
      {error.message}
    </p>
  );
}
