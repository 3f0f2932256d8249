import { describe, expect, it } from "vitest";

import { safeNext } from "@/lib/auth";

describe("safeNext", () => {
  it("keeps paths on this site", () => {
    expect(safeNext("/billing")).toBe("/billing");
    expect(safeNext("/dashboard?from=2026-11-01")).toBe("/dashboard?from=2026-11-01");
  });
  it("refuses anything that leaves the site, and falls back to the overview", () => {
    for (const bad of ["https://evil.example/", "//evil.example", "/\\evil.example", "javascript:alert(1)", "", null]) {
      expect(safeNext(bad)).toBe("/dashboard");
    }
  });
});
