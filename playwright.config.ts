import { defineConfig } from "@playwright/test";
import { e2e } from "./tests/e2e/settings";
import { chromiumLaunch } from "./tests/support/chromium";

// Debian's Chromium, never a downloaded browser (docs/decisions/0001).
export default defineConfig({
  testDir: "tests/e2e",
  testMatch: "**/*.spec.ts",
  timeout: 90_000,
  expect: { timeout: 15_000 },
  workers: 1,
  reporter: [["list"]],
  globalSetup: "./tests/e2e/warm-up.ts",
  use: {
    baseURL: e2e.webUrl,
    launchOptions: chromiumLaunch,
  },
  webServer: [
    {
      command: "npx tsx tests/fakes/serve-e2e.ts",
      url: `${e2e.voiceControl}/health`,
      timeout: 60_000,
      reuseExistingServer: false,
      env: {
        E2E_TWILIO_AUTH_TOKEN: e2e.twilioAuthToken!,
        E2E_STRIPE_SECRET_KEY: process.env.E2E_STRIPE_SECRET_KEY!,
        E2E_STRIPE_WEBHOOK_SECRET: process.env.E2E_STRIPE_WEBHOOK_SECRET!,
      },
    },
    {
      command: "npx tsx scripts/dev.ts",
      url: `${e2e.webUrl}/health`,
      timeout: 180_000,
      reuseExistingServer: false,
      stdout: "ignore",
      stderr: "pipe",
      env: e2e.serverEnv,
    },
  ],
});
