// Session helpers without React: where a login may send the browser afterwards.

/** Only a path on this site may be a `next` target (never //evil.example, /\evil or https://...). */
export function safeNext(next: string | null | undefined, fallback = "/dashboard"): string {
  if (!next || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")) return fallback;
  return next;
}
