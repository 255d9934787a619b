import { readFileSync } from "node:fs";
import AxeBuilder from "@axe-core/playwright";
import { type Browser, type BrowserContextOptions, expect, type Page, test } from "@playwright/test";
import { sha256Hex } from "../../core/crypto/tokens";
import { ownerQuery } from "../support/seed";
import { latestMail, loginAs } from "./fixtures";
import { discoverRoutes, fillPath } from "./routes";
import { seedEverything } from "./seed-pages";
import { e2e } from "./settings";
import { codeFromMailbox, createAgent, signUp } from "./sign-up";

/** Routes with no page to look at, each with the reason. A new one without a page must be listed here. */
const noPage: Record<string, string> = {
  "_index.tsx": "redirects to log in or to Home",
  "_portal.tsx": "the portal layout: checked inside every portal page",
  "_portal.settings.tsx": "the settings layout: checked inside every settings page",
  "_portal.settings._index.tsx": "redirects to the first settings tab",
  "_portal.calls_.export.tsx": "CSV download",
  "_portal.campaigns.$campaignId_.export.tsx": "CSV download",
  "_portal.usage_.export.tsx": "CSV download",
  "_portal.calls.$callId_.recording.tsx": "audio stream",
  "_portal.calls.$callId_.live.tsx": "Server-Sent Events stream",
  "_portal.calls.$callId_.waveform.tsx": "JSON: the recording's peaks, drawn by the call page",
  "_portal.agents.voices.preview.ts": "audio: a voice's sample, played by the agent editor",
  "_portal.settings.invitations.$invitationId.tsx": "action only (revoke an invitation)",
  "health.tsx": "liveness probe",
  "logout.tsx": "action only",
  "teams.switch.tsx": "action only",
};

/** Pages seen signed out; each opens how a visitor reaches it (see the signed-out test). */
const signedOut = new Set([
  "login.tsx",
  "login_.link.tsx",
  "login_.two-factor.tsx",
  "signup.tsx",
  "verify-email.tsx",
  "forgot-password.tsx",
  "reset-password.tsx",
  "invite.$token.tsx",
  "dev.mailbox.tsx",
]);

const routes = discoverRoutes();
const portalPages = routes.filter((r) => !noPage[r.file] && !signedOut.has(r.file));
const phonePages = ["/home", "/agents", "/settings/billing", "/usage", "/calls/:callId", "/agents/:agentId"];
const darkPages = [
  "/home",
  "/agents/:agentId",
  "/agents/:agentId/widget",
  "/agents/:agentId/versions",
  "/calls/:callId",
  "/settings/billing",
  "/settings/api-keys",
  "/usage",
  "/teams/new",
];

/** Fails with each serious or critical violation spelled out: the rule, why, and the elements. */
async function expectAccessible(page: Page, where: string) {
  await expect(page.locator("h1").first()).toBeVisible();
  const analyze = () =>
    new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]).analyze();
  // The development server reloads a page once when it bundles a dependency it had not seen.
  const { violations } = await analyze().catch(async (err: Error) => {
    if (!/context was destroyed/.test(err.message)) throw err;
    await page.waitForLoadState("load");
    await expect(page.locator("h1").first()).toBeVisible();
    return analyze();
  });
  const bad = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  const report = bad
    .map(
      (v) =>
        `  [${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})\n${v.nodes
          .slice(0, 8)
          .map((n) => `      ${n.target.join(" ")}\n        ${n.failureSummary?.replace(/\n/g, "\n        ")}`)
          .join("\n")}`,
    )
    .join("\n");
  expect(bad, `${where}: ${bad.length} serious/critical axe violation(s)\n${report}`).toEqual([]);
}

let state: BrowserContextOptions["storageState"];
let params: Record<string, string> = {};
let inviteToken = "";

test.beforeAll(async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const email = await signUp(page, { name: "Ada", company: "Ada Access", password: "ada-access-passphrase" });
  const agentId = await createAgent(page, {
    name: "Front desk",
    prompt: "Answer questions.",
    firstMessage: "Hello!",
  });
  ({ params, inviteToken } = await seedEverything(email, agentId));
  state = await context.storageState();
  await context.close();
});

test("every route either has a page this walk visits, or a reason it has none", () => {
  for (const r of routes) {
    const hasPage = /export default/.test(readFileSync(`app/routes/${r.file}`, "utf8"));
    if (!hasPage) expect(noPage[r.file], `${r.file} has no page: give the reason in noPage`).toBeTruthy();
  }
  expect(portalPages.length).toBeGreaterThan(30);
});

async function open(browser: Browser, path: string, options: BrowserContextOptions = {}) {
  const context = await browser.newContext({ storageState: state, ...options });
  const page = await context.newPage();
  const response = await page.goto(fillPath(path, params));
  expect(response?.status(), `${path} answered ${response?.status()}`).toBeLessThan(400);
  return { page, close: () => context.close() };
}

for (const route of portalPages) {
  test(`${route.path} (${route.file}) has no serious accessibility violations`, async ({ browser }) => {
    const { page, close } = await open(browser, route.path);
    await expectAccessible(page, route.path);
    await close();
  });
}

for (const path of phonePages) {
  test(`${path} at phone width (390×844) has no serious accessibility violations`, async ({ browser }) => {
    const { page, close } = await open(browser, path, { viewport: { width: 390, height: 844 } });
    await expectAccessible(page, `${path} (phone)`);
    // Nothing wider than the screen: a table scrolls inside its own frame.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await close();
  });
}

for (const path of darkPages) {
  test(`${path} in dark mode has no serious accessibility violations`, async ({ browser }) => {
    const { page, close } = await open(browser, path, { colorScheme: "dark" });
    await expectAccessible(page, `${path} (dark)`);
    await close();
  });
}

test("the signed-out pages have no serious accessibility violations", async ({ page }) => {
  for (const path of ["/login", "/signup", "/forgot-password", "/dev/mailbox", "/login/link?token=expired"]) {
    await page.goto(path);
    await expectAccessible(page, path);
  }
  await page.goto("/reset-password?token=expired");
  await expectAccessible(page, "/reset-password (expired link)");
  await page.goto(`/invite/${inviteToken}`);
  await expectAccessible(page, "/invite/:token");

  // A reset link as it arrives by mail.
  const email = `reset-${Date.now()}@example.com`;
  await page.goto("/signup");
  await page.getByLabel("Your name").fill("Reset");
  await page.getByLabel("Company").fill("Reset Co");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("reset-co-passphrase");
  await page.getByRole("button", { name: "Sign up" }).click();
  await expect(page.getByRole("heading", { name: "Check your email" })).toBeVisible();
  await expectAccessible(page, "/verify-email");
  await page.getByLabel("Verification code").fill(await codeFromMailbox(page, email));
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page.getByRole("heading", { name: "Home", level: 1 })).toBeVisible();
  await page.context().clearCookies();
  await page.goto("/forgot-password");
  await page.getByLabel("Email").fill(email);
  await page.getByRole("button", { name: "Email me a link" }).click();
  // The newest mail is the verification code until the reset link arrives.
  let link = "";
  await expect(async () => {
    link = /(http\S+\/reset-password\S+)/.exec((await latestMail(email)).text)?.[1] ?? "";
    expect(link).not.toBe("");
  }).toPass({ timeout: 15_000 });
  await page.goto(link);
  await expectAccessible(page, "/reset-password");

  // The second step of a sign-in, as a session waiting for its code.
  const token = await loginAs(page.context(), (await userIdOf(email))!, null);
  await ownerQuery(e2e.ownerUrl, "update sessions set two_factor_pending = true where id = $1", [sha256Hex(token)]);
  await page.goto("/login/two-factor");
  await expectAccessible(page, "/login/two-factor");
});

async function userIdOf(email: string) {
  const [row] = await ownerQuery<{ id: string }>(e2e.ownerUrl, "select id from users where lower(email) = lower($1)", [
    email,
  ]);
  return row?.id;
}
