// The frame of each settings section: a card with a heading (an anchor of the sub-navigation), its
// loading skeleton, and a polite status line for "Saved"-style confirmations.
import type { ReactNode } from "react";

import { cn } from "@/lib/cn";

export function SettingsCard({
  id,
  title,
  description,
  children,
}: {
  id: string;
  title: string;
  description?: ReactNode;
  children: ReactNode;
}) {
  const headingId = `${id}-heading`;
  return (
    <section
      id={id}
      aria-labelledby={headingId}
      className="scroll-mt-20 rounded-lg border border-border bg-card p-4 text-card-foreground sm:p-6"
    >
      <header className="mb-5">
        <h2 id={headingId} className="text-base font-semibold">
          {title}
        </h2>
        {description && <p className="mt-1 text-sm text-muted-foreground">{description}</p>}
      </header>
      {children}
    </section>
  );
}

/** Grey bars where rows will be, announced as busy. */
export function SectionSkeleton({ label, rows = 3 }: { label: string; rows?: number }) {
  return (
    <div aria-busy="true" aria-label={label} className="space-y-3">
      {Array.from({ length: rows }, (_, i) => (
        <div key={i} className="h-12 animate-pulse rounded-md bg-muted motion-reduce:animate-none" />
      ))}
    </div>
  );
}

/** Always in the DOM so a screen reader announces the text when it appears. */
export function StatusNote({ message, className }: { message: string | null; className?: string }) {
  return (
    <p role="status" className={cn("text-sm font-medium text-success", !message && "sr-only", className)}>
      {message ?? ""}
    </p>
  );
}

/** A quiet note, e.g. why a form is read-only. */
export function Note({ children }: { children: ReactNode }) {
  return <p className="rounded-md border border-border bg-muted p-3 text-sm text-muted-foreground">{children}</p>;
}
