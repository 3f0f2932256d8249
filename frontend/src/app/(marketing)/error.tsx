// Error boundary for marketing pages: says what happened and offers a retry.
"use client";

import { Button } from "@/components/ui/button";

export default function MarketingError({ reset }: Readonly<{ error: Error & { digest?: string }; reset: () => void }>) {
  return (
    <section role="alert" className="mx-auto max-w-xl px-4 py-24 text-center sm:px-6">
      <h1 className="text-2xl font-bold tracking-tight">Something went wrong</h1>
      <p className="mt-3 text-muted-foreground">This page failed to load. Trying again usually fixes it.</p>
      <Button className="mt-8" onClick={reset}>
        Try again
      </Button>
    </section>
  );
}
