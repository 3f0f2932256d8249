// Marketing header: the brand and the two ways in (log in, start free).
import Link from "next/link";

import { ButtonLink } from "@/components/ui/button";

export function SiteHeader() {
  return (
    <header className="border-b border-border">
      <div className="mx-auto flex max-w-6xl items-center justify-between gap-4 px-4 py-3 sm:px-6">
        <Link
          href="/"
          prefetch={false}
          className="rounded-md text-lg font-semibold tracking-tight focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-ring"
        >
          Omni<span className="text-primary">TrackIQ</span>
        </Link>
        <nav aria-label="Account" className="flex items-center gap-1 sm:gap-2">
          <ButtonLink href="/login" variant="ghost" size="sm" prefetch={false}>
            Log in
          </ButtonLink>
          <ButtonLink href="/signup" variant="primary" size="sm" prefetch={false}>
            Start free
          </ButtonLink>
        </nav>
      </div>
    </header>
  );
}
