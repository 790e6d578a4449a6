import { defineConfig } from "vitest/config";

// Two projects: fast unit tests (no engine), and the real-engine suite.
// `npm test` runs both; the integration project starts (or reuses) an engine
// through its global setup.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          include: ["frontend/**/*.test.ts", "test/**/*.test.ts"],
          exclude: ["**/node_modules/**"],
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: "integration",
          include: ["integration/**/*.test.ts"],
          // The private engine's state (image snapshots full of node_modules) lives here.
          exclude: ["**/node_modules/**", "integration/.engine/**"],
          globalSetup: ["integration/global-setup.ts"],
          testTimeout: 600_000,
          hookTimeout: 900_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
