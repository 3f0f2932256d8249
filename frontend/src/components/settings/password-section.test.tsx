// PasswordSection: checks before sending, the server's words on a refusal, a confirmation on success.
import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";

import { stubApi } from "@/test/api-stub";
import { renderWithClient } from "@/test/render";

import { PasswordSection } from "./password-section";

async function fill(current: string, next: string, confirm: string) {
  const user = userEvent.setup();
  if (current) await user.type(screen.getByLabelText("Current password"), current);
  if (next) await user.type(screen.getByLabelText("New password"), next);
  if (confirm) await user.type(screen.getByLabelText("Confirm new password"), confirm);
  await user.click(screen.getByRole("button", { name: "Change password" }));
}

describe("PasswordSection", () => {
  it("refuses a mismatched confirmation and a missing current password without calling the API", async () => {
    const api = stubApi({});
    renderWithClient(<PasswordSection email="me@acme.test" />);
    await fill("", "correct horse battery", "correct horse batterx");
    expect(screen.getByText("Enter your current password.")).toBeTruthy();
    expect(screen.getByText("The passwords do not match.")).toBeTruthy();
    expect(screen.getByLabelText("Confirm new password").getAttribute("aria-invalid")).toBe("true");
    expect(api.calls).toHaveLength(0);
  });

  it("shows the server's message when it refuses", async () => {
    stubApi({
      "POST /auth/password": {
        status: 422,
        body: { error: { code: "unprocessable", message: "The current password is not correct.", request_id: "r1" } },
      },
    });
    renderWithClient(<PasswordSection email="me@acme.test" />);
    await fill("wrong-password", "correct horse battery", "correct horse battery");
    expect((await screen.findByRole("alert")).textContent).toBe("The current password is not correct.");
    expect(screen.getByRole("status").textContent).toBe("");
  });

  it("sends the current and new password, then clears the form and confirms", async () => {
    const api = stubApi({ "POST /auth/password": { body: { access_token: "t", token_type: "bearer", expires_in: 86400 } } });
    renderWithClient(<PasswordSection email="me@acme.test" />);
    await fill("old-password-1", "correct horse battery", "correct horse battery");
    await waitFor(() => expect(screen.getByRole("status").textContent).toContain("Password changed"));
    expect(api.callsTo("POST", "/auth/password")[0]?.body).toEqual({
      current_password: "old-password-1",
      new_password: "correct horse battery",
    });
    expect(screen.getByLabelText("New password")).toHaveProperty("value", "");
  });
});
