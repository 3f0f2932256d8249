// An (i) next to a metric's name: its formula and meaning from GET /metrics/definitions, shown on
// hover and on keyboard focus, and read by screen readers as the button's description.
"use client";

import { useId } from "react";

import { useMetricDefinitions } from "@/hooks/useMetrics";

export function MetricInfo({ name }: { name: string }) {
  const definitions = useMetricDefinitions();
  const id = useId();
  const definition = definitions.data?.get(name);
  if (!definition) return null;
  return (
    <span className="group relative inline-flex">
      <button
        type="button"
        aria-label={`How ${definition.label} is calculated`}
        aria-describedby={id}
        className="flex size-5 items-center justify-center rounded-full text-xs text-muted-foreground hover:text-foreground focus-visible:outline-2 focus-visible:outline-ring"
      >
        <svg aria-hidden="true" viewBox="0 0 16 16" className="size-4" fill="none" stroke="currentColor" strokeWidth="1.5">
          <circle cx="8" cy="8" r="6.5" />
          <path d="M8 7.2v4M8 4.8v.01" strokeLinecap="round" />
        </svg>
      </button>
      <span
        id={id}
        role="tooltip"
        data-testid={`definition-${name}`}
        className="invisible absolute top-6 left-1/2 z-20 w-64 -translate-x-1/2 rounded-md border border-border bg-card p-3 text-left text-xs font-normal text-card-foreground opacity-0 shadow-lg transition-opacity group-focus-within:visible group-focus-within:opacity-100 group-hover:visible group-hover:opacity-100"
      >
        <span className="block font-medium">{definition.label}</span>
        <code className="mt-1 block font-mono text-[11px] text-accent-foreground">{definition.formula}</code>
        <span className="mt-1 block text-muted-foreground">{definition.description}</span>
      </span>
    </span>
  );
}
