// A labelled input with its error message tied to it for screen readers.
import type { ComponentProps } from "react";

import { cn } from "@/lib/cn";

export type FieldProps = ComponentProps<"input"> & { label: string; error?: string; hint?: string };

export function Field({ label, error, hint, id, className, ...input }: FieldProps) {
  const fieldId = id ?? input.name;
  const described = error ? `${fieldId}-error` : hint ? `${fieldId}-hint` : undefined;
  return (
    <div className="space-y-1">
      <label htmlFor={fieldId} className="block text-sm font-medium">
        {label}
      </label>
      <input
        id={fieldId}
        aria-invalid={error ? true : undefined}
        aria-describedby={described}
        className={cn(
          "h-11 w-full rounded-md border bg-background px-3 text-sm focus-visible:outline-2 focus-visible:outline-ring",
          error ? "border-red-600" : "border-border",
          className,
        )}
        {...input}
      />
      {error ? (
        <p id={`${fieldId}-error`} className="text-sm text-red-700">
          {error}
        </p>
      ) : hint ? (
        <p id={`${fieldId}-hint`} className="text-sm text-muted-foreground">
          {hint}
        </p>
      ) : null}
    </div>
  );
}

/** What the server said, announced when it appears. */
export function FormError({ message }: { message: string | null }) {
  if (!message) return null;
  return (
    <p role="alert" className="rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-800">
      {message}
    </p>
  );
}
