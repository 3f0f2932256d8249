// TeamSection: inviting (and the 402 upgrade prompt), role changes within the backend's rules,
// revoking an invitation after a confirmation, and leaving.
import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";

import type { Invitation, Member } from "@/hooks/useAccount";
import { stubApi } from "@/test/api-stub";
import { renderWithClient } from "@/test/render";

import { TeamSection } from "./team-section";
import { meAs, member } from "./test-fixtures";

const router = vi.hoisted(() => ({ replace: vi.fn(), push: vi.fn() }));
vi.mock("next/navigation", () => ({ useRouter: () => router, usePathname: () => "/settings" }));

const invitation: Invitation = {
  id: "inv_1",
  email: "sam@acme.test",
  role: "viewer",
  created_at: "2026-03-01T10:00:00Z",
  expires_at: "2026-03-08T10:00:00Z",
};

function people(members: Member[], invitations: Invitation[] = []) {
  return { body: { data: members, invitations } };
}

describe("TeamSection", () => {
  it("shows the upgrade prompt, linking to billing, when an invitation is over the plan's limit", async () => {
    const user = userEvent.setup();
    const details = { limit: "team_members", plan: "free", allowed: 1, upgrade_to: "starter", upgrade_url: "/billing" };
    const api = stubApi({
      "GET /accounts/current/members": people([member("usr_me", "owner", "me@acme.test", "Mia Owner")]),
      "POST /accounts/current/members": {
        status: 402,
        body: {
          error: {
            code: "payment_required",
            message: "Your Free plan includes 1 team members, and members plus pending invitations already make 1; remove someone or upgrade. Upgrade to Starter under Billing.",
            request_id: "r1",
            details,
          },
        },
      },
    });
    renderWithClient(<TeamSection me={meAs("owner")} />);

    await user.type(await screen.findByLabelText("Email"), "new@acme.test");
    await user.selectOptions(screen.getByLabelText("Role"), "admin");
    await user.click(screen.getByRole("button", { name: "Send invitation" }));

    const prompt = await screen.findByTestId("upgrade-prompt");
    expect(prompt.textContent).toContain("Your Free plan includes 1 team members");
    expect(within(prompt).getByRole("link", { name: "Upgrade to Starter" }).getAttribute("href")).toBe("/billing");
    expect(api.callsTo("POST", "/accounts/current/members")[0]?.body).toEqual({ email: "new@acme.test", role: "admin" });
  });

  it("checks the email before inviting, then confirms the invitation and refreshes the list", async () => {
    const user = userEvent.setup();
    let invitations: Invitation[] = [];
    const api = stubApi({
      "GET /accounts/current/members": () => people([member("usr_me", "admin")], invitations),
      "POST /accounts/current/members": () => {
        invitations = [{ ...invitation, email: "sam@acme.test", role: "analyst" }];
        return { status: 201, body: invitations[0] };
      },
    });
    renderWithClient(<TeamSection me={meAs("admin")} />);

    expect(await screen.findByText("No pending invitations.")).toBeTruthy();
    // Admins cannot hand out the owner role.
    expect(within(screen.getByLabelText("Role")).queryByRole("option", { name: "Owner" })).toBeNull();
    await user.type(screen.getByLabelText("Email"), "not-an-email");
    await user.click(screen.getByRole("button", { name: "Send invitation" }));
    expect(screen.getByText("Enter an email address like name@example.com.")).toBeTruthy();
    expect(api.callsTo("POST", "/accounts/current/members")).toHaveLength(0);

    await user.clear(screen.getByLabelText("Email"));
    await user.type(screen.getByLabelText("Email"), "sam@acme.test");
    await user.click(screen.getByRole("button", { name: "Send invitation" }));
    await waitFor(() => expect(screen.getByText("Invitation sent to sam@acme.test.")).toBeTruthy());
    const pending = await screen.findByRole("list", { name: "Pending invitations" });
    expect(within(pending).getByText("sam@acme.test")).toBeTruthy();
    expect(api.callsTo("POST", "/accounts/current/members")[0]?.body).toEqual({ email: "sam@acme.test", role: "analyst" });
  });

  it("lets an admin change an analyst's role at once, but not touch an owner", async () => {
    const user = userEvent.setup();
    const api = stubApi({
      "GET /accounts/current/members": people([
        member("usr_boss", "owner", "boss@acme.test", "Bo Boss"),
        member("usr_me", "admin", "me@acme.test", "Mia Owner"),
        member("usr_ana", "analyst", "ana@acme.test", "Ana Lyst"),
      ]),
      "PATCH /accounts/current/members/usr_ana": { body: member("usr_ana", "viewer") },
    });
    renderWithClient(<TeamSection me={meAs("admin")} />);

    await user.selectOptions(await screen.findByLabelText("Role of Ana Lyst"), "viewer");
    await waitFor(() => expect(api.callsTo("PATCH", "/accounts/current/members/usr_ana")).toHaveLength(1));
    expect(api.callsTo("PATCH", "/accounts/current/members/usr_ana")[0]?.body).toEqual({ role: "viewer" });
    expect(screen.queryByRole("alertdialog")).toBeNull();
    expect(screen.queryByLabelText("Role of Bo Boss")).toBeNull();
    expect(screen.queryByRole("button", { name: "Remove Bo Boss" })).toBeNull();
    expect(screen.getByRole("button", { name: "Remove Ana Lyst" })).toBeTruthy();
  });

  it("never offers to demote or remove the last owner", async () => {
    stubApi({ "GET /accounts/current/members": people([member("usr_me", "owner", "me@acme.test", "Mia Owner")]) });
    renderWithClient(<TeamSection me={meAs("owner")} />);
    expect(await screen.findByText(/Only owner/)).toBeTruthy();
    expect(screen.queryByLabelText("Role of Mia Owner")).toBeNull();
    expect(screen.queryByRole("button", { name: /Leave/ })).toBeNull();
  });

  it("revokes an invitation only after confirming", async () => {
    const user = userEvent.setup();
    let invitations = [invitation];
    const api = stubApi({
      "GET /accounts/current/members": () => people([member("usr_me", "owner")], invitations),
      "DELETE /accounts/current/invitations/inv_1": () => {
        invitations = [];
        return { status: 204, body: undefined };
      },
    });
    renderWithClient(<TeamSection me={meAs("owner")} />);

    await user.click(await screen.findByRole("button", { name: "Revoke the invitation for sam@acme.test" }));
    expect(api.callsTo("DELETE", "/accounts/current/invitations/inv_1")).toHaveLength(0);
    await user.click(screen.getByRole("button", { name: "Revoke invitation" }));
    expect(await screen.findByText("No pending invitations.")).toBeTruthy();
    expect(api.callsTo("DELETE", "/accounts/current/invitations/inv_1")).toHaveLength(1);
  });

  it("lets a viewer leave after confirming, then signs out", async () => {
    const user = userEvent.setup();
    const api = stubApi({
      "GET /accounts/current/members": people([member("usr_boss", "owner"), member("usr_me", "viewer", "me@acme.test")]),
      "DELETE /accounts/current/members/usr_me": { status: 204, body: undefined },
      "POST /auth/logout": { status: 204, body: undefined },
    });
    renderWithClient(<TeamSection me={meAs("viewer")} />);

    expect(await screen.findByText("Only owners and admins can invite people and change roles.")).toBeTruthy();
    await user.click(screen.getByRole("button", { name: "Leave Acme Store" }));
    await user.click(screen.getByRole("button", { name: "Leave account" }));
    await waitFor(() => expect(router.replace).toHaveBeenCalledWith("/login"));
    expect(api.callsTo("DELETE", "/accounts/current/members/usr_me")).toHaveLength(1);
  });
});
