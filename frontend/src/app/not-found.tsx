// 404 page; the static export writes it as out/404.html, which the server returns for unknown paths.
import type { Metadata } from "next";

import { ButtonLink } from "@/components/ui/button";

export const metadata: Metadata = { title: "Page not found" };

export default function NotFound() {
  return (
    <main id="main-content" tabIndex={-1} className="flex flex-1 items-center justify-center px-4 py-24 focus:outline-none">
      <div className="max-w-md text-center">
        <p className="text-sm font-semibold text-accent-foreground tabular-nums">404</p>
        <h1 className="mt-2 text-3xl font-bold tracking-tight">Page not found</h1>
        <p className="mt-3 text-muted-foreground">The page you asked for does not exist or has moved.</p>
        <ButtonLink href="/" className="mt-8">
          Back to the homepage
        </ButtonLink>
      </div>
    </main>
  );
}
