// ErrorState: the message is announced as an alert and "Try again" calls back.
import { fireEvent, render, screen } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";

import { ErrorState } from "./error-state";

describe("ErrorState", () => {
  it("shows the message as an alert and retries on click", () => {
    const onRetry = vi.fn();
    render(<ErrorState message="The server is unavailable." onRetry={onRetry} />);
    expect(screen.getByRole("alert").textContent).toContain("The server is unavailable.");
    fireEvent.click(screen.getByRole("button", { name: "Try again" }));
    expect(onRetry).toHaveBeenCalledTimes(1);
  });
});
