// Unit and component tests under src/. Plain modules (*.test.ts) run in Node; components (*.test.tsx)
// run in jsdom with Testing Library. .mts: the package is CommonJS-typed.
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const alias = { "@": fileURLToPath(new URL("./src", import.meta.url)) };

export default defineConfig({
  resolve: { alias },
  test: {
    restoreMocks: true,
    unstubGlobals: true,
    projects: [
      { resolve: { alias }, test: { name: "unit", environment: "node", include: ["src/**/*.test.ts"] } },
      {
        resolve: { alias },
        test: {
          name: "components",
          environment: "jsdom",
          include: ["src/**/*.test.tsx"],
          setupFiles: ["src/test/setup.ts"],
          restoreMocks: true,
          unstubGlobals: true,
        },
      },
    ],
  },
});
