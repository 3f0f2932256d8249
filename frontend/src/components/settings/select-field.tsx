// A labelled select (label tied by htmlFor), styled like the text fields of auth/field.tsx.
import type { ComponentProps } from "react";

import { cn } from "@/lib/cn";

export type SelectFieldProps = ComponentProps<"select"> & {
  id: string;
  label: string;
  hint?: string;
  /** Keeps the label for screen readers only, e.g. a role select in a table row. */
  hideLabel?: boolean;
};

export function SelectField({ id, label, hint, hideLabel, className, children, ...select }: SelectFieldProps) {
  return (
    <div className="space-y-1">
      <label htmlFor={id} className={cn("block text-sm font-medium", hideLabel && "sr-only")}>
        {label}
      </label>
      <select
        id={id}
        aria-describedby={hint ? `${id}-hint` : undefined}
        className={cn(
          "h-11 w-full rounded-md border border-border bg-background px-3 text-sm",
          "focus-visible:outline-2 focus-visible:outline-ring disabled:cursor-not-allowed disabled:opacity-60",
          className,
        )}
        {...select}
      >
        {children}
      </select>
      {hint && (
        <p id={`${id}-hint`} className="text-sm text-muted-foreground">
          {hint}
        </p>
      )}
    </div>
  );
}
