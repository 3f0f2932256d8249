// An (i) next to a metric's name: its formula and meaning from GET /metrics/definitions, shown on
// hover and on keyboard focus, and read by screen readers as the button's description. The tip is
// placed in the viewport (fixed, clamped to its edges), so it never widens a phone's page.
"use client";

import { useId, useRef, useState } from "react";

import { useMetricDefinitions } from "@/hooks/useMetrics";
import { cn } from "@/lib/cn";

const TIP_WIDTH = 256;
const MARGIN = 8;

export function MetricInfo({ name }: { name: string }) {
  const definitions = useMetricDefinitions();
  const id = useId();
  const button = useRef<HTMLButtonElement>(null);
  const [position, setPosition] = useState<{ left: number; top: number } | null>(null);
  const definition = definitions.data?.get(name);
  if (!definition) return null;

  const show = () => {
    const rect = button.current?.getBoundingClientRect();
    if (!rect) return;
    const centred = rect.left + rect.width / 2 - TIP_WIDTH / 2;
    const left = Math.max(MARGIN, Math.min(centred, window.innerWidth - TIP_WIDTH - MARGIN));
    setPosition({ left, top: rect.bottom + 6 });
  };
  const hide = () => setPosition(null);

  return (
    <span className="inline-flex" onMouseEnter={show} onMouseLeave={hide}>
      <button
        ref={button}
        type="button"
        aria-label={`How ${definition.label} is calculated`}
        aria-describedby={id}
        onFocus={show}
        onBlur={hide}
        onKeyDown={(event) => event.key === "Escape" && hide()}
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
        style={position ? { left: position.left, top: position.top, width: TIP_WIDTH } : undefined}
        className={cn(
          "fixed z-30 rounded-md border border-border bg-card p-3 text-left text-xs font-normal whitespace-normal text-card-foreground shadow-lg",
          !position && "hidden",
        )}
      >
        <span className="block font-medium">{definition.label}</span>
        <code className="mt-1 block font-mono text-[11px] text-accent-foreground">{definition.formula}</code>
        <span className="mt-1 block text-muted-foreground">{definition.description}</span>
      </span>
    </span>
  );
}
