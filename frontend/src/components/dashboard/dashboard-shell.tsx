// The signed-in frame: sidebar, top bar with the account and logout, and the auth guard.
"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import type { ReactNode } from "react";

import { Button } from "@/components/ui/button";
import { ErrorState } from "@/components/ui/error-state";
import { useLogout, useRequireAuth } from "@/hooks/useAuth";
import { cn } from "@/lib/cn";

const NAV = [
  { href: "/dashboard", label: "Overview" },
  { href: "/billing", label: "Billing" },
] as const;

export function DashboardShell({ children }: Readonly<{ children: ReactNode }>) {
  const me = useRequireAuth();
  const logout = useLogout();
  const pathname = usePathname();

  if (me.isPending || me.error?.status === 401) {
    return (
      <div className="flex flex-1 items-center justify-center p-8" aria-busy="true">
        <p className="text-sm text-muted-foreground">Loading your account…</p>
      </div>
    );
  }
  if (me.isError) return <ErrorState className="m-8" message={me.error.message} onRetry={() => void me.refetch()} />;
  const { user, account } = me.data;
  return (
    <div className="flex flex-1 flex-col md:flex-row">
      <aside className="border-b border-border bg-muted md:w-56 md:border-r md:border-b-0">
        <div className="px-4 py-4 text-lg font-semibold tracking-tight">
          Omni<span className="text-primary">TrackIQ</span>
        </div>
        <nav aria-label="Dashboard" className="flex gap-1 overflow-x-auto px-2 pb-2 md:flex-col">
          {NAV.map((item) => (
            <Link
              key={item.href}
              href={item.href}
              aria-current={pathname === item.href ? "page" : undefined}
              className={cn(
                "rounded-md px-3 py-2 text-sm font-medium focus-visible:outline-2 focus-visible:outline-ring",
                pathname === item.href ? "bg-card shadow-sm" : "text-muted-foreground hover:bg-card",
              )}
            >
              {item.label}
            </Link>
          ))}
        </nav>
      </aside>
      <div className="flex min-w-0 flex-1 flex-col">
        <header className="flex items-center justify-between gap-3 border-b border-border px-4 py-3 sm:px-6">
          <div className="min-w-0">
            <p className="truncate font-medium" data-testid="account-name">
              {account.name}
            </p>
            <p className="truncate text-sm text-muted-foreground">{user.email}</p>
          </div>
          <Button variant="secondary" size="sm" onClick={() => logout.mutate()} disabled={logout.isPending}>
            Log out
          </Button>
        </header>
        <main id="main-content" tabIndex={-1} className="flex-1 px-4 py-6 focus:outline-none sm:px-6">
          {children}
        </main>
      </div>
    </div>
  );
}
