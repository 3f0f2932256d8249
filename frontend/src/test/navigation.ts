// A stand-in for next/navigation in component tests: the URL is a small store, so router.replace
// re-renders the page with the new search parameters, as the real router does.
//   vi.mock("next/navigation", () => import("@/test/navigation"));
import { useSyncExternalStore } from "react";
import { vi } from "vitest";

let url = new URL("http://localhost/");
const listeners = new Set<() => void>();

function set(next: string) {
  url = new URL(next, url);
  for (const listener of listeners) listener();
}

const subscribe = (listener: () => void) => {
  listeners.add(listener);
  return () => listeners.delete(listener);
};

/** Test helper: start a test at this path and query. */
export function setTestUrl(pathAndQuery: string) {
  url = new URL(pathAndQuery, "http://localhost/");
  // Code that reads window.location (the login redirect) sees the same URL.
  if (typeof window !== "undefined") window.history.replaceState(null, "", `${url.pathname}${url.search}`);
  for (const listener of listeners) listener();
}

/** Test helper: the current path and query. */
export function testUrl(): URL {
  return new URL(url);
}

export const routerMock = {
  replace: vi.fn((href: string) => set(href)),
  push: vi.fn((href: string) => set(href)),
  back: vi.fn(),
  forward: vi.fn(),
  refresh: vi.fn(),
  prefetch: vi.fn(),
};

export function useRouter() {
  return routerMock;
}

export function usePathname() {
  return useSyncExternalStore(subscribe, () => url.pathname);
}

export function useSearchParams() {
  const search = useSyncExternalStore(subscribe, () => url.search);
  return new URLSearchParams(search);
}
