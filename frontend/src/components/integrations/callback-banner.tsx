// The outcome of an OAuth round trip: the callback sends the browser to
// /integrations?provider=…&connected=int_… or …&error=<reason>&message=<text>. It is read once,
// taken out of the URL (a reload must not repeat it), and shown until dismissed.
"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useEffect, useState } from "react";

import { Button, ButtonLink } from "@/components/ui/button";
import { useIntegrations } from "@/hooks/useIntegrations";
import { cn } from "@/lib/cn";

export type CallbackOutcome =
  | { kind: "connected"; provider: string; id: string }
  | { kind: "error"; provider: string; reason: string; message: string | null };

const INTEGRATION_ID = /^int_[0-9A-Za-z]{22}$/;
const MAX_MESSAGE = 300;

/** The outcome in the query, or null. Anyone can craft such a link, so only a few reasons carry the server's words. */
export function parseCallbackOutcome(params: URLSearchParams): CallbackOutcome | null {
  const provider = params.get("provider") ?? "";
  const connected = params.get("connected");
  if (connected && INTEGRATION_ID.test(connected)) return { kind: "connected", provider, id: connected };
  const reason = params.get("error");
  if (!reason) return null;
  const message = params.get("message")?.trim().slice(0, MAX_MESSAGE) || null;
  return { kind: "error", provider, reason, message };
}

/** Reads the outcome on arrival, removes it from the address bar, and keeps it until dismissed. */
export function useCallbackOutcome() {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const [outcome, setOutcome] = useState(() => parseCallbackOutcome(new URLSearchParams(params.toString())));
  const inUrl = params.has("connected") || params.has("error");
  useEffect(() => {
    if (inUrl) router.replace(pathname, { scroll: false });
  }, [inUrl, pathname, router]);
  return { outcome, dismiss: () => setOutcome(null) };
}

function errorText(reason: string, label: string, message: string | null): string {
  switch (reason) {
    case "denied":
      return `${label} was not connected: access was not granted.`;
    case "invalid_state":
    case "state_used":
      return "That connect link was invalid, already used or expired. Start again below.";
    case "wrong_session":
      return "Finish connecting in the browser and account you started from: log in to that account and start again.";
    case "invalid_signature":
      return `${label}'s answer could not be verified. Start again below.`;
    case "wrong_shop":
      return "Shopify answered for a different shop. Start again below.";
    case "missing_code":
      return `${label} sent no authorisation code. Start again below.`;
    case "exchange_failed":
    case "plan_limit":
      return message ?? `${label} was not connected. Try again.`;
    default:
      return `${label} was not connected. Try again.`;
  }
}

export function CallbackBanner({ outcome, onDismiss }: { outcome: CallbackOutcome | null; onDismiss: () => void }) {
  const integrations = useIntegrations();
  if (!outcome) return null;
  const provider = integrations.data?.find((p) => p.provider === outcome.provider);
  const label = provider?.label ?? "The provider";
  const success = outcome.kind === "connected";
  const text = success
    ? `${label} is connected. ${
        provider && !provider.syncs
          ? "Automatic syncing for it isn't available yet; the connection is saved."
          : "The first sync starts within a few minutes; this page updates as it runs."
      }`
    : errorText(outcome.reason, label, outcome.message);

  return (
    <div
      role={success ? "status" : "alert"}
      data-testid="callback-banner"
      className={cn(
        "mb-6 flex flex-col gap-3 rounded-lg border p-4 text-sm sm:flex-row sm:items-center sm:justify-between",
        success
          ? "border-success/40 bg-success/10"
          : "border-destructive/40 bg-destructive/10",
      )}
    >
      <p>{text}</p>
      <div className="flex shrink-0 gap-2">
        {outcome.kind === "error" && outcome.reason === "plan_limit" && (
          <ButtonLink href="/billing" size="sm">
            See plans
          </ButtonLink>
        )}
        <Button variant="ghost" size="sm" onClick={onDismiss} aria-label="Dismiss this message">
          Dismiss
        </Button>
      </div>
    </div>
  );
}
