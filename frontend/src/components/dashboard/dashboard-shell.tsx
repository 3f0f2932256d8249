// The signed-in frame: sidebar navigation, a top bar with the account switcher and the user menu,
// and the auth guard (a logged-out visitor goes to /login?next=<this page>). The root layout's skip
// link leads to <main id="main-content">.
"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { useEffect, useId, useRef, useState, type ReactNode } from "react";

import { Button } from "@/components/ui/button";
import { ErrorState } from "@/components/ui/error-state";
import { useLogout, useRequireAuth, useSwitchAccount, type Me } from "@/hooks/useAuth";
import { cn } from "@/lib/cn";

export const DASHBOARD_NAV = [
  { href: "/dashboard", label: "Overview" },
  { href: "/campaigns", label: "Campaigns" },
  { href: "/orders", label: "Orders" },
  { href: "/integrations", label: "Integrations" },
  { href: "/billing", label: "Billing" },
  { href: "/settings", label: "Settings" },
] as const;

/** The current account, and a select of the others when the user belongs to more than one. */
export function AccountSwitcher({ me }: { me: Me }) {
  const switchAccount = useSwitchAccount();
  const id = useId();
  if (me.accounts.length < 2) {
    return (
      <p className="truncate font-medium" data-testid="account-name">
        {me.account.name}
      </p>
    );
  }
  return (
    <div className="flex min-w-0 flex-col">
      <label htmlFor={id} className="sr-only">
        Account
      </label>
      <select
        id={id}
        data-testid="account-switcher"
        value={me.account.id}
        disabled={switchAccount.isPending}
        onChange={(event) => switchAccount.mutate(event.target.value)}
        className="h-10 max-w-64 truncate rounded-md border border-border bg-card px-2 text-sm font-medium"
      >
        {me.accounts.map((account) => (
          <option key={account.id} value={account.id}>
            {account.name}
          </option>
        ))}
      </select>
      {switchAccount.isError && (
        <p role="alert" className="mt-1 text-xs text-destructive">
          {switchAccount.error.message}
        </p>
      )}
    </div>
  );
}

/** The user's name and email behind a button; the menu holds settings and logout. */
function UserMenu({ me }: { me: Me }) {
  const logout = useLogout();
  const [open, setOpen] = useState(false);
  const menuId = useId();
  const root = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    const onPointer = (event: PointerEvent) => {
      if (root.current && !root.current.contains(event.target as Node)) setOpen(false);
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "Escape") setOpen(false);
    };
    document.addEventListener("pointerdown", onPointer);
    document.addEventListener("keydown", onKey);
    return () => {
      document.removeEventListener("pointerdown", onPointer);
      document.removeEventListener("keydown", onKey);
    };
  }, [open]);

  const initials = (me.user.name ?? me.user.email).trim().slice(0, 1).toUpperCase();
  return (
    <div ref={root} className="relative">
      <button
        type="button"
        aria-expanded={open}
        aria-controls={menuId}
        data-testid="user-menu"
        onClick={() => setOpen((v) => !v)}
        className="flex h-10 items-center gap-2 rounded-md px-2 text-sm hover:bg-muted focus-visible:outline-2 focus-visible:outline-ring"
      >
        <span aria-hidden="true" className="flex size-8 items-center justify-center rounded-full bg-accent font-semibold text-accent-foreground">
          {initials}
        </span>
        <span className="hidden max-w-48 truncate sm:inline">{me.user.name ?? me.user.email}</span>
        <span className="sr-only sm:hidden">User menu</span>
      </button>
      {open && (
        <div
          id={menuId}
          className="absolute right-0 z-20 mt-2 w-64 rounded-lg border border-border bg-card p-2 shadow-lg"
        >
          <p className="truncate px-2 py-1 text-sm text-muted-foreground">{me.user.email}</p>
          <p className="px-2 pb-2 text-xs text-muted-foreground">Role: {me.role}</p>
          <Link
            href="/settings"
            onClick={() => setOpen(false)}
            className="block rounded-md px-2 py-2 text-sm hover:bg-muted focus-visible:outline-2 focus-visible:outline-ring"
          >
            Settings
          </Link>
          <Button
            variant="ghost"
            size="sm"
            className="w-full justify-start px-2"
            onClick={() => logout.mutate()}
            disabled={logout.isPending}
          >
            Log out
          </Button>
        </div>
      )}
    </div>
  );
}

export function DashboardShell({ children }: Readonly<{ children: ReactNode }>) {
  const me = useRequireAuth();
  const pathname = usePathname();

  if (me.isPending || me.error?.status === 401) {
    return (
      <div className="flex flex-1 items-center justify-center p-8" aria-busy="true">
        <p className="text-sm text-muted-foreground">Loading your account…</p>
      </div>
    );
  }
  if (me.isError) return <ErrorState className="m-8" message={me.error.message} onRetry={() => void me.refetch()} />;
  return (
    <div className="flex flex-1 flex-col md:flex-row">
      <aside className="border-b border-border bg-muted md:w-56 md:shrink-0 md:border-r md:border-b-0">
        <Link href="/dashboard" className="block px-4 py-4 text-lg font-semibold tracking-tight">
          Omni<span className="text-primary">TrackIQ</span>
        </Link>
        <nav aria-label="Dashboard" className="flex gap-1 overflow-x-auto px-2 pb-2 md:flex-col">
          {DASHBOARD_NAV.map((item) => {
            const current = pathname === item.href || pathname.startsWith(`${item.href}/`);
            return (
              <Link
                key={item.href}
                href={item.href}
                aria-current={current ? "page" : undefined}
                className={cn(
                  "shrink-0 rounded-md px-3 py-2 text-sm font-medium focus-visible:outline-2 focus-visible:outline-ring",
                  current ? "bg-card shadow-sm" : "text-muted-foreground hover:bg-card hover:text-foreground",
                )}
              >
                {item.label}
              </Link>
            );
          })}
        </nav>
      </aside>
      <div className="flex min-w-0 flex-1 flex-col">
        <header className="flex items-center justify-between gap-3 border-b border-border px-4 py-2 sm:px-6">
          <div className="min-w-0">
            <AccountSwitcher me={me.data} />
          </div>
          <UserMenu me={me.data} />
        </header>
        <main id="main-content" tabIndex={-1} className="flex-1 px-4 py-6 focus:outline-none sm:px-6">
          {children}
        </main>
      </div>
    </div>
  );
}
