// Pricing: the plans the server sells (GET /api/v1/billing/plans), monthly or yearly.
"use client";

import { useState } from "react";

import { ButtonLink } from "@/components/ui/button";
import { ErrorState } from "@/components/ui/error-state";
import { IntervalToggle, type BillingInterval } from "@/components/ui/interval-toggle";
import { usePlans, type Plan } from "@/hooks/usePlans";
import { cn } from "@/lib/cn";
import { formatMoney } from "@/lib/format";

function PlanCard({ plan, interval, featured }: { plan: Plan; interval: BillingInterval; featured: boolean }) {
  const price = plan.prices[interval] ?? plan.prices.month;
  const free = price !== undefined && price.amount === 0;
  return (
    <li
      className={cn(
        "flex flex-col rounded-lg border bg-card p-6",
        featured ? "border-primary shadow-md" : "border-border",
      )}
      data-testid={`plan-${plan.id}`}
    >
      <h3 className="text-lg font-semibold">{plan.name}</h3>
      <p className="mt-1 text-sm text-muted-foreground">{plan.description}</p>
      <p className="mt-4">
        <span className="text-3xl font-semibold tabular-nums">
          {price === undefined ? "—" : formatMoney(price.amount, price.currency, { whole: true })}
        </span>
        {!free && <span className="text-sm text-muted-foreground"> / {interval}</span>}
      </p>
      <ul className="mt-4 flex-1 space-y-2 text-sm">
        {plan.features.map((feature) => (
          <li key={feature} className="flex gap-2">
            <span aria-hidden="true" className="text-primary">
              ✓
            </span>
            {feature}
          </li>
        ))}
      </ul>
      <ButtonLink href="/signup" variant={featured ? "primary" : "secondary"} className="mt-6" prefetch={false}>
        {free ? "Start free" : `Start with ${plan.name}`}
      </ButtonLink>
    </li>
  );
}

export function PricingSection() {
  const plans = usePlans();
  const [interval, setBillingInterval] = useState<BillingInterval>("month");
  return (
    <section aria-labelledby="pricing-heading" className="mx-auto max-w-6xl px-4 py-16 sm:px-6">
      <div className="flex flex-col items-start justify-between gap-4 sm:flex-row sm:items-end">
        <div>
          <h2 id="pricing-heading" className="text-2xl font-semibold tracking-tight">
            Pricing
          </h2>
          <p className="mt-1 text-muted-foreground">Start free with one store and one ad platform; upgrade when you grow.</p>
        </div>
        <IntervalToggle value={interval} onChange={setBillingInterval} />
      </div>
      {plans.state === "loading" && (
        <ul aria-busy="true" aria-label="Loading plans" className="mt-8 grid gap-6 md:grid-cols-3">
          {[0, 1, 2].map((n) => (
            <li key={n} className="h-80 animate-pulse rounded-lg border border-border bg-muted" />
          ))}
        </ul>
      )}
      {plans.state === "error" && <ErrorState className="mt-8" message={plans.message} onRetry={plans.retry} />}
      {plans.state === "ready" && (
        <ul className="mt-8 grid gap-6 md:grid-cols-3">
          {plans.plans.map((plan, index) => (
            <PlanCard key={plan.id} plan={plan} interval={interval} featured={index === 1} />
          ))}
        </ul>
      )}
    </section>
  );
}
