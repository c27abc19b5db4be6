import { defineConfig } from "vitest/config";

// Two projects: fast in-process tests, and slow tests that spawn real node processes.
// Both run in CI (`npm test`); the slow ones run serially so that they do not fight over 2 cores.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          include: ["test/unit/**/*.test.ts", "test/integration/**/*.test.ts", "test/architecture.test.ts"],
          setupFiles: ["test/support/setup.ts"],
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: "e2e",
          include: ["test/e2e/**/*.test.ts"],
          setupFiles: ["test/support/setup.ts"],
          testTimeout: 180_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
