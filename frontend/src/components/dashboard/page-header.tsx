// A dashboard page's title (the section's accessible name) with its controls on the right.
import type { ReactNode } from "react";

export function PageHeader({ id, title, children }: { id: string; title: string; children?: ReactNode }) {
  return (
    <div className="flex flex-wrap items-end justify-between gap-4">
      <h1 id={id} className="text-xl font-semibold">
        {title}
      </h1>
      {children}
    </div>
  );
}
