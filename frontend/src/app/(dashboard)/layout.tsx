// Every signed-in page: the query cache and the dashboard frame (which also guards the session).
import type { ReactNode } from "react";

import { DashboardShell } from "@/components/dashboard/dashboard-shell";
import { QueryProvider } from "@/components/providers/query-provider";

export default function DashboardLayout({ children }: Readonly<{ children: ReactNode }>) {
  return (
    <QueryProvider>
      <DashboardShell>{children}</DashboardShell>
    </QueryProvider>
  );
}
