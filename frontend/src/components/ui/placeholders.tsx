// What a data view shows before and instead of data: grey rows while loading, and an empty state
// that says what to do next.
import type { ReactNode } from "react";

import { cn } from "@/lib/cn";

export function SkeletonRows({ label, rows, className }: { label: string; rows: number; className?: string }) {
  return (
    <div aria-busy="true" aria-label={label} className={cn("mt-4 space-y-2", className)}>
      {Array.from({ length: rows }, (_, i) => (
        <div key={i} className="h-10 animate-pulse rounded bg-muted" />
      ))}
    </div>
  );
}

export function EmptyState({ children, className }: { children: ReactNode; className?: string }) {
  return (
    <p className={cn("mt-4 rounded-lg border border-dashed border-border p-6 text-sm text-muted-foreground", className)}>
      {children}
    </p>
  );
}
