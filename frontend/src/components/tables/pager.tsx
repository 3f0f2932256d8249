// Previous / next over cursor pages, with the page number.
"use client";

import { Button } from "@/components/ui/button";

export function Pager({
  page,
  hasNext,
  onPrevious,
  onNext,
  busy,
}: {
  page: number;
  hasNext: boolean;
  onPrevious: () => void;
  onNext: () => void;
  busy?: boolean;
}) {
  return (
    <nav aria-label="Pages" className="mt-3 flex items-center justify-end gap-2 text-sm">
      <span className="text-muted-foreground" aria-live="polite">
        Page {page}
      </span>
      <Button variant="secondary" size="sm" onClick={onPrevious} disabled={page <= 1 || busy}>
        Previous
      </Button>
      <Button variant="secondary" size="sm" onClick={onNext} disabled={!hasNext || busy}>
        Next
      </Button>
    </nav>
  );
}
