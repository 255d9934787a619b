import { type BrowserContext, expect as baseExpect, chromium, type Page } from "@playwright/test";
import { chromiumLaunch } from "../support/chromium";

/**
 * A newcomer's first walk through the portal in Debian's Chromium: every answer of 500 or more,
 * every console error and every uncaught page error is a problem. Steps wait for what the page
 * shows, never for a time.
 */
// A cold Vite compiles each route on its first visit: generous waits, for conditions only.
const expect = baseExpect.configure({ timeout: 90_000 });

export async function openBrowser(baseURL: string) {
  const browser = await chromium.launch(chromiumLaunch);
  const context = await browser.newContext({ baseURL });
  context.setDefaultTimeout(90_000);
  const problems: string[] = [];
  const watch = (page: Page) => {
    page.on("console", (m) => m.type() === "error" && problems.push(`console error on ${page.url()}: ${m.text()}`));
    page.on("pageerror", (e) => problems.push(`page error on ${page.url()}: ${e.message}`));
    page.on(
      "response",
      (r) => r.status() >= 500 && problems.push(`${r.status()} for ${r.request().method()} ${r.url()}`),
    );
  };
  context.on("page", watch);
  return { context, problems, close: () => browser.close() };
}

const heading = (page: Page, name: string | RegExp) =>
  expect(page.getByRole("heading", { level: 1, name })).toBeVisible();

/** Sign-up with the code from the SANDBOX mailbox page, as the README says; lands on Home. */
export async function signUp(context: BrowserContext) {
  const page = await context.newPage();
  const email = `newcomer-${Date.now()}@example.com`;
  await page.goto("/signup", { timeout: 300_000 });
  await page.getByLabel("Your name").fill("Nadia Newcomer");
  await page.getByLabel("Company").fill("Newcomer Dental");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("a-long-newcomer-passphrase");
  await page.getByRole("button", { name: "Sign up" }).click();
  await heading(page, "Check your email");
  const mailbox = await context.newPage();
  let code = "";
  await expect(async () => {
    await mailbox.goto("/dev/mailbox");
    const text = await mailbox
      .locator(`article[data-to="${email}"]`)
      .first()
      .locator("pre")
      .textContent({ timeout: 2000 });
    code = /\b(\d{6})\b/.exec(text ?? "")?.[1] ?? "";
    expect(code).not.toBe("");
  }).toPass({ timeout: 60_000 });
  await mailbox.close();
  await page.getByLabel("Verification code").fill(code);
  await page.getByRole("button", { name: "Verify" }).click();
  await heading(page, "Home");
  return page;
}

export async function createAgent(page: Page, name: string) {
  await page.getByRole("navigation").first().getByRole("link", { name: "Agents", exact: true }).click();
  await page.getByRole("link", { name: "New agent" }).click();
  await page.getByLabel("Name").fill(name);
  await page
    .getByLabel("Prompt", { exact: true })
    .fill("You answer the phone for a dental practice and book check-ups.");
  await page.getByLabel("First message").fill("Hello, Newcomer Dental, how can I help?");
  await page.getByRole("button", { name: "Create agent" }).click();
  await heading(page, name);
  return new URL(page.url()).pathname.split("/").pop()!;
}

/** Every main page and every settings page, by the links a person clicks, then each loaded afresh. */
export async function visitEveryPage(page: Page, agent: { id: string; name: string }) {
  const nav = (name: string) => page.getByRole("navigation").first().getByRole("link", { name, exact: true });
  const settings = (name: string) =>
    page.getByRole("navigation", { name: "Settings" }).getByRole("link", { name, exact: true });
  const steps: [() => Promise<void>, string | RegExp, string][] = [
    [() => nav("Home").click(), "Home", "/home"],
    [() => nav("Agents").click(), "Agents", "/agents"],
    [() => page.getByRole("link", { name: agent.name }).first().click(), agent.name, `/agents/${agent.id}`],
    [() => nav("Calls").click(), "Calls", "/calls"],
    [() => page.getByRole("link", { name: "Live calls" }).click(), "Live calls", "/calls/live"],
    [() => nav("Numbers").click(), "Phone numbers", "/numbers"],
    [() => nav("Campaigns").click(), "Campaigns", "/campaigns"],
    [() => nav("Knowledge").click(), "Knowledge", "/knowledge"],
    [() => nav("Tests").click(), "Test suites", "/suites"],
    [() => nav("Usage").click(), "Usage", "/usage"],
    [() => nav("Settings").click(), "Account", "/settings/account"],
    [() => settings("Two-factor").click(), /two-factor authentication/i, "/settings/security"],
    [() => settings("Team").click(), "Team", "/settings/team"],
    [() => settings("Billing").click(), "Billing", "/settings/billing"],
    [() => settings("API keys").click(), "API keys", "/settings/api-keys"],
    [() => settings("Webhooks").click(), "Webhooks", "/settings/webhooks"],
    [() => settings("Provider keys").click(), "Provider keys", "/settings/providers"],
    [() => settings("Recordings").click(), "Call recordings", "/settings/recordings"],
    [() => settings("Audit log").click(), "Audit log", "/settings/audit"],
  ];
  for (const [click, name] of steps) {
    await click();
    await heading(page, name);
  }
  for (const [, name, path] of steps) {
    await page.goto(path, { waitUntil: "networkidle" });
    await heading(page, name);
  }
}

/** The Calls page lists `count` finished calls, and the newest one's page opens. */
export async function seeCalls(page: Page, count: number) {
  await page.goto("/calls", { waitUntil: "networkidle" });
  await expect(page.getByRole("row").filter({ hasText: "completed" })).toHaveCount(count);
  await page.getByRole("row").nth(1).getByRole("link").first().click();
  await heading(page, "Call");
}
