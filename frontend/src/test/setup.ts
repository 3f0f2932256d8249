// Component tests: unmount what a test rendered, and give jsdom the browser APIs it lacks.
import { cleanup } from "@testing-library/react";
import { afterEach } from "vitest";

afterEach(() => cleanup());

// Recharts' ResponsiveContainer measures its parent with ResizeObserver, which jsdom does not have.
if (!("ResizeObserver" in globalThis)) {
  class ResizeObserverStub {
    observe() {}
    unobserve() {}
    disconnect() {}
  }
  Object.assign(globalThis, { ResizeObserver: ResizeObserverStub });
}
