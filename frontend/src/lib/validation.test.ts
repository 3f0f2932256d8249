import { describe, expect, it } from "vitest";

import { emailError, newPasswordError } from "@/lib/validation";

describe("form checks", () => {
  it("asks for a real-looking email", () => {
    expect(emailError("")).toBe("Enter your email address.");
    expect(emailError("ann@")).toMatch(/like name@example.com/);
    expect(emailError(" ann@example.com ")).toBeUndefined();
  });
  it("applies the server's password length in bytes and refuses the email", () => {
    expect(newPasswordError("short", "a@b.co")).toBe("Use at least 10 characters.");
    expect(newPasswordError("ééééé", "a@b.co")).toBeUndefined(); // 10 bytes in UTF-8
    expect(newPasswordError("x".repeat(129), "a@b.co")).toBe("Use at most 128 characters.");
    expect(newPasswordError("Ann@Example.com", "ann@example.com")).toBe("Your password cannot be your email.");
  });
});
