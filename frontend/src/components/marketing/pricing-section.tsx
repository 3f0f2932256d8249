// Pricing: the plans the server sells (GET /api/v1/billing/plans), monthly or yearly.
"use client";

import { useState } from "react";

import { Button, ButtonLink } from "@/components/ui/button";
import { usePlans, type Plan } from "@/hooks/useBilling";
import { cn } from "@/lib/cn";
import { formatMoney } from "@/lib/format";

type Interval = "month" | "year";

function PlanCard({ plan, interval, featured }: { plan: Plan; interval: Interval; featured: boolean }) {
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
      <ButtonLink
        href="/signup"
        variant={featured ? "primary" : "secondary"}
        className="mt-6"
      >
        {free ? "Start free" : `Start with ${plan.name}`}
      </ButtonLink>
    </li>
  );
}

export function PricingSection() {
  const plans = usePlans();
  const [interval, setBillingInterval] = useState<Interval>("month");
  return (
    <section aria-labelledby="pricing-heading" className="mx-auto max-w-6xl px-4 py-16 sm:px-6">
      <div className="flex flex-col items-start justify-between gap-4 sm:flex-row sm:items-end">
        <div>
          <h2 id="pricing-heading" className="text-2xl font-semibold tracking-tight">
            Pricing
          </h2>
          <p className="mt-1 text-muted-foreground">Start free with one store and one ad platform; upgrade when you grow.</p>
        </div>
        <div role="group" aria-label="Billing interval" className="inline-flex rounded-md border border-border p-1">
          {(["month", "year"] as const).map((value) => (
            <button
              key={value}
              type="button"
              aria-pressed={interval === value}
              onClick={() => setBillingInterval(value)}
              className={cn(
                "h-9 rounded px-3 text-sm font-medium focus-visible:outline-2 focus-visible:outline-ring",
                interval === value ? "bg-primary text-primary-foreground" : "text-foreground hover:bg-muted",
              )}
            >
              {value === "month" ? "Monthly" : "Yearly"}
            </button>
          ))}
        </div>
      </div>
      {plans.state === "loading" && (
        <ul aria-busy="true" aria-label="Loading plans" className="mt-8 grid gap-6 md:grid-cols-3">
          {[0, 1, 2].map((n) => (
            <li key={n} className="h-80 animate-pulse rounded-lg border border-border bg-muted" />
          ))}
        </ul>
      )}
      {plans.state === "error" && (
        <div role="alert" className="mt-8 rounded-lg border border-border bg-card p-6">
          <p>{plans.message}</p>
          <Button variant="secondary" size="sm" className="mt-3" onClick={plans.retry}>
            Try again
          </Button>
        </div>
      )}
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
