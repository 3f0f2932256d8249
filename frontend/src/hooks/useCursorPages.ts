// Page-by-page navigation over a cursor-paginated list: the cursors seen so far make "Previous"
// possible, and any change of filter starts again at the first page.
"use client";

import { useState } from "react";

export function useCursorPages(filterKey: string) {
  const [state, setState] = useState<{ key: string; cursors: (string | null)[] }>({ key: filterKey, cursors: [null] });
  const cursors = state.key === filterKey ? state.cursors : [null];
  const page = cursors.length;
  return {
    cursor: cursors[cursors.length - 1] ?? null,
    page,
    next: (cursor: string) => setState({ key: filterKey, cursors: [...cursors, cursor] }),
    previous: () => setState({ key: filterKey, cursors: cursors.length > 1 ? cursors.slice(0, -1) : cursors }),
  };
}
