// A small pill for statuses; the dot carries colour, the text carries meaning.
import type { ComponentProps } from "react";

import { cn } from "@/lib/cn";

export type BadgeTone = "neutral" | "success" | "destructive";

const dots: Record<BadgeTone, string> = {
  neutral: "bg-muted-foreground animate-pulse motion-reduce:animate-none",
  success: "bg-success",
  destructive: "bg-destructive",
};

export type BadgeProps = ComponentProps<"span"> & { tone?: BadgeTone };

export function Badge({ tone = "neutral", className, children, ...props }: BadgeProps) {
  return (
    <span
      className={cn(
        "inline-flex items-center gap-2 rounded-full border border-border bg-card px-3 py-1 text-xs font-medium text-card-foreground",
        className,
      )}
      {...props}
    >
      <span aria-hidden="true" className={cn("size-2 rounded-full", dots[tone])} />
      {children}
    </span>
  );
}
