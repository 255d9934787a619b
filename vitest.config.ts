import { defineConfig } from "vitest/config";

// The portal's `~/` imports (tsconfig paths, vite.config.ts): tests load route modules too.
const resolve = { alias: { "~": new URL("./app", import.meta.url).pathname } };

export default defineConfig({
  test: {
    projects: [
      {
        resolve,
        test: {
          name: "unit",
          include: [
            "core/**/*.test.ts",
            "db/**/*.test.ts",
            "workers/**/*.test.ts",
            "widget/**/*.test.ts",
            "media-relay/**/*.test.ts",
            "voice/**/*.test.ts",
            "app/**/*.test.ts",
            "app/**/*.test.tsx",
            "sdk/**/*.test.ts",
            "tests/rules/**/*.test.ts",
            "tests/fakes/**/*.test.ts",
            "tests/turns/**/*.test.ts",
          ],
          environment: "node",
        },
      },
      {
        resolve,
        test: {
          name: "integration",
          include: ["tests/integration/**/*.test.ts"],
          environment: "node",
          globalSetup: ["tests/integration/global-setup.ts"],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
