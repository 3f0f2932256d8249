// A status pill for integrations: the dot carries colour (pulsing only while work is under way), the text carries meaning.
import { cn } from "@/lib/cn";

import type { StatusTone } from "./display";

const dots: Record<StatusTone, string> = {
  success: "bg-success",
  active: "bg-primary animate-pulse motion-reduce:animate-none",
  warning: "bg-amber-500",
  destructive: "bg-destructive",
  muted: "bg-muted-foreground/60",
};

export function StatusBadge({ tone, label, className }: { tone: StatusTone; label: string; className?: string }) {
  return (
    <span
      className={cn(
        "inline-flex shrink-0 items-center gap-2 rounded-full border border-border bg-card px-2.5 py-0.5 text-xs font-medium text-card-foreground",
        className,
      )}
    >
      <span aria-hidden="true" className={cn("size-2 rounded-full", dots[tone])} />
      {label}
    </span>
  );
}
