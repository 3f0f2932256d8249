// A moment shown both ways: how long ago (or until), and the exact time in the account's time zone.
"use client";

import { useEffect, useState } from "react";

import { formatDateTime } from "@/lib/format";

import { relativeTime } from "./display";

/** The current time, refreshed every `everyMs`, so "2 minutes ago" does not go stale on an open page. */
export function useNow(everyMs = 30_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), everyMs);
    return () => window.clearInterval(timer);
  }, [everyMs]);
  return now;
}

export function Timestamp({ value, timeZone, now }: { value: string; timeZone: string; now: number }) {
  const exact = formatDateTime(value, timeZone);
  return (
    <time dateTime={value} title={`${exact} (${timeZone})`}>
      {relativeTime(value, now)}
      <span className="text-muted-foreground"> · {exact}</span>
    </time>
  );
}
