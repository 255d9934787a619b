import { chromium, type FullConfig } from "@playwright/test";

/**
 * Runs once the dev server is up. On a cold Vite cache the first page load discovers and
 * pre-bundles the client dependencies, then reloads the page; do that here, not inside a test.
 */
export default async function warmUp(config: FullConfig) {
  const { baseURL, launchOptions } = config.projects[0]!.use;
  const browser = await chromium.launch(launchOptions);
  const page = await browser.newPage();
  for (const path of ["/login", "/signup", "/login"]) {
    await page.goto(`${baseURL}${path}`, { timeout: 120_000 });
    await page.waitForLoadState("networkidle", { timeout: 120_000 });
    await page.waitForTimeout(2000);
  }
  await browser.close();
}
