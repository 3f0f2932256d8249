// /billing: the plan in force and what it allows, what Stripe says about the subscription, and
// the way to a bigger plan (Checkout) or to the card, invoices and cancelling (the portal).
"use client";

import { useState } from "react";

import { Button } from "@/components/ui/button";
import { ErrorState } from "@/components/ui/error-state";
import { IntervalToggle, type BillingInterval } from "@/components/ui/interval-toggle";
import { useBillingMe, useCheckout, usePlans, usePortal, type BillingState } from "@/hooks/useBilling";
import { formatDate, formatMoney } from "@/lib/format";

const LIMIT_LABELS: [string, (s: BillingState) => [number, number | null | undefined]][] = [
  ["Ad platforms", (s) => [s.usage.integrations.ads ?? 0, s.limits.integrations.ads]],
  ["Stores", (s) => [s.usage.integrations.store ?? 0, s.limits.integrations.store]],
  ["Team members", (s) => [s.usage.team_members, s.limits.team_members]],
  ["Client accounts", (s) => [s.usage.client_accounts, s.limits.client_accounts]],
];

function CurrentPlan({ state }: { state: BillingState }) {
  const portal = usePortal();
  return (
    <section aria-labelledby="current-heading" className="rounded-lg border border-border bg-card p-6">
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div>
          <h2 id="current-heading" className="text-sm text-muted-foreground">
            Current plan
          </h2>
          <p className="text-2xl font-semibold" data-testid="current-plan">
            {state.plan.name}
          </p>
          {state.status && (
            <p className="mt-1 text-sm" data-testid="subscription-status">
              Subscription: {state.status.replace("_", " ")}
              {state.current_period_end &&
                ` · ${state.cancel_at_period_end ? "ends" : "renews"} ${formatDate(state.current_period_end, "UTC")}`}
            </p>
          )}
        </div>
        {state.can_manage && (
          <Button variant="secondary" onClick={() => portal.mutate()} disabled={portal.isPending}>
            Manage billing
          </Button>
        )}
      </div>
      {state.notice && (
        <p role="status" className="mt-4 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900">
          {state.notice}
        </p>
      )}
      {portal.error && (
        <p role="alert" className="mt-4 text-sm text-red-700">
          {portal.error.message}
        </p>
      )}
      <dl className="mt-6 grid grid-cols-2 gap-4 sm:grid-cols-4">
        {LIMIT_LABELS.map(([label, read]) => {
          const [used, allowed] = read(state);
          return (
            <div key={label}>
              <dt className="text-sm text-muted-foreground">{label}</dt>
              <dd className="font-medium tabular-nums">
                {used} of {allowed === null || allowed === undefined ? "unlimited" : allowed}
              </dd>
            </div>
          );
        })}
      </dl>
      <p className="mt-4 text-sm text-muted-foreground">
        History: {state.history_start ? `from ${formatDate(state.history_start, "UTC")}` : "unlimited"}
      </p>
    </section>
  );
}

function PlanChoices({ state }: { state: BillingState }) {
  const plans = usePlans();
  const checkout = useCheckout();
  const [interval, setBillingInterval] = useState<BillingInterval>("month");
  if (plans.state !== "ready") return null;
  const subscribed = state.status !== null && state.status !== "canceled" && state.status !== "incomplete_expired";
  return (
    <section aria-labelledby="plans-heading" className="mt-8">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <h2 id="plans-heading" className="text-lg font-semibold">
          Plans
        </h2>
        <IntervalToggle value={interval} onChange={setBillingInterval} />
      </div>
      {checkout.error && (
        <p role="alert" className="mt-4 text-sm text-red-700">
          {checkout.error.message}
        </p>
      )}
      <ul className="mt-4 grid gap-4 md:grid-cols-3">
        {plans.plans.map((plan) => {
          const price = plan.prices[interval];
          const current = plan.id === state.plan.id;
          return (
            <li key={plan.id} className="flex flex-col rounded-lg border border-border bg-card p-5" data-testid={`choose-${plan.id}`}>
              <h3 className="font-semibold">{plan.name}</h3>
              <p className="mt-1 text-2xl font-semibold tabular-nums">
                {price ? formatMoney(price.amount, price.currency, { whole: true }) : "—"}
                <span className="text-sm font-normal text-muted-foreground"> / {interval}</span>
              </p>
              <p className="mt-2 flex-1 text-sm text-muted-foreground">{plan.description}</p>
              {current ? (
                <p className="mt-4 text-sm font-medium">Your plan</p>
              ) : subscribed ? (
                <p className="mt-4 text-sm text-muted-foreground">Switch plans under Manage billing.</p>
              ) : price?.purchasable ? (
                <Button
                  className="mt-4"
                  disabled={checkout.isPending}
                  onClick={() => checkout.mutate({ plan: plan.id, interval })}
                >
                  Upgrade to {plan.name}
                </Button>
              ) : (
                plan.id !== "free" && (
                  <p className="mt-4 text-sm text-muted-foreground">Not sold on this server yet.</p>
                )
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

export default function BillingPage() {
  const billing = useBillingMe();
  return (
    <div>
      <h1 className="mb-6 text-xl font-semibold">Billing</h1>
      {billing.isPending && <div aria-busy="true" className="h-48 animate-pulse rounded-lg border border-border bg-muted" />}
      {billing.isError && <ErrorState message={billing.error.message} onRetry={() => void billing.refetch()} />}
      {billing.data && (
        <>
          <CurrentPlan state={billing.data} />
          <PlanChoices state={billing.data} />
        </>
      )}
    </div>
  );
}
