// The /settings page: every section under its anchor, composed from one session.
import { screen } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";

import SettingsPage from "@/app/(dashboard)/settings/page";
import { stubApi } from "@/test/api-stub";
import { renderWithClient } from "@/test/render";

import { SETTINGS_SECTIONS } from "./settings-nav";
import { meAs, member } from "./test-fixtures";

vi.mock("next/navigation", () => ({ useRouter: () => ({ replace: vi.fn() }), usePathname: () => "/settings" }));

describe("SettingsPage", () => {
  it("links to and renders every section for an owner", async () => {
    stubApi({
      "GET /auth/me": { body: meAs("owner") },
      "GET /accounts/current/members": { body: { data: [member("usr_me", "owner")], invitations: [] } },
      "GET /api-keys": { body: { data: [] } },
    });
    renderWithClient(<SettingsPage />);
    expect(await screen.findByRole("heading", { name: "Profile" })).toBeTruthy();
    for (const section of SETTINGS_SECTIONS) {
      expect(screen.getByRole("link", { name: section.label }).getAttribute("href")).toBe(`#${section.id}`);
      expect(document.getElementById(section.id)?.querySelector("h2")?.textContent).toBe(section.label);
    }
    expect(screen.getByText("me@acme.test")).toBeTruthy();
    expect(await screen.findByText(/No API keys yet/)).toBeTruthy();
  });
});
