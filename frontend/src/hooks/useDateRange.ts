// The dashboard's date range and comparison, read from and written to the URL.
"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback, useMemo } from "react";

import { useMe } from "@/hooks/useAuth";
import { rangeFromSearch, rangeToSearch, type DateRange } from "@/lib/date-range";

export function useDateRange() {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const timeZone = useMe().data?.account.timezone ?? "UTC";
  const search = params.toString();
  const range = useMemo(() => rangeFromSearch(new URLSearchParams(search), timeZone), [search, timeZone]);
  const compare = params.get("compare") !== "none";

  const replace = useCallback(
    (next: URLSearchParams) => {
      const query = next.toString();
      router.replace(query ? `${pathname}?${query}` : pathname, { scroll: false });
    },
    [pathname, router],
  );
  const setRange = useCallback(
    (next: DateRange) => replace(rangeToSearch(next, new URLSearchParams(search))),
    [replace, search],
  );
  const setCompare = useCallback(
    (on: boolean) => {
      const next = new URLSearchParams(search);
      if (on) next.delete("compare");
      else next.set("compare", "none");
      replace(next);
    },
    [replace, search],
  );
  return { range, compare, timeZone, setRange, setCompare };
}
