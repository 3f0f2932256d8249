// Login and signup: a narrow card under the brand, no navigation to get lost in.
import Link from "next/link";
import type { ReactNode } from "react";

import { QueryProvider } from "@/components/providers/query-provider";

export default function AuthLayout({ children }: Readonly<{ children: ReactNode }>) {
  return (
    <QueryProvider>
      <main id="main-content" tabIndex={-1} className="flex flex-1 flex-col items-center px-4 py-12 focus:outline-none">
        <Link
          href="/"
          prefetch={false}
          className="mb-8 rounded-md text-xl font-semibold tracking-tight focus-visible:outline-2 focus-visible:outline-ring"
        >
          Omni<span className="text-primary">TrackIQ</span>
        </Link>
        <div className="w-full max-w-sm rounded-lg border border-border bg-card p-6 shadow-sm">{children}</div>
      </main>
    </QueryProvider>
  );
}
