// A failed load: what went wrong, in the server's words, and a way to try again.
"use client";

import { Button } from "@/components/ui/button";
import { cn } from "@/lib/cn";

export function ErrorState({ message, onRetry, className }: { message: string; onRetry: () => void; className?: string }) {
  return (
    <div role="alert" className={cn("rounded-lg border border-border bg-card p-6", className)}>
      <p>{message}</p>
      <Button variant="secondary" size="sm" className="mt-3" onClick={onRetry}>
        Try again
      </Button>
    </div>
  );
}
