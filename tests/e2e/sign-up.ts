import { type Browser, expect, type Page } from "@playwright/test";
import { latestMail } from "./fixtures";

/** Signs up through the real form, verifies the email from the SANDBOX mailbox page, lands on Home. */
export async function signUp(page: Page, who: { name: string; company: string; password: string }) {
  const email = `${who.name.toLowerCase().replace(/\W+/g, "-")}-${Date.now()}@example.com`;
  await page.goto("/signup");
  await page.getByLabel("Your name").fill(who.name);
  await page.getByLabel("Company").fill(who.company);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(who.password);
  await page.getByRole("button", { name: "Sign up" }).click();
  await expect(page.getByRole("heading", { name: "Check your email" })).toBeVisible();
  await page.getByLabel("Verification code").fill(await codeFromMailbox(page, email));
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page.getByRole("heading", { name: "Home", level: 1 })).toBeVisible();
  return email;
}

/** Reads the newest code sent to `email` from /dev/mailbox, in a second tab, as a developer would. */
export async function codeFromMailbox(page: Page, email: string) {
  const mailbox = await page.context().newPage();
  let text = "";
  await expect(async () => {
    await mailbox.goto("/dev/mailbox");
    text =
      (await mailbox.locator(`article[data-to="${email}"]`).first().locator("pre").textContent({ timeout: 1000 })) ??
      "";
  }).toPass({ timeout: 15_000 });
  await mailbox.close();
  return /\b(\d{6})\b/.exec(text)![1]!;
}

export async function createAgent(page: Page, agent: { name: string; prompt: string; firstMessage: string }) {
  await page.getByRole("navigation").first().getByRole("link", { name: "Agents", exact: true }).click();
  await page.getByRole("link", { name: "New agent" }).click();
  await page.getByLabel("Name").fill(agent.name);
  await page.getByLabel("Prompt", { exact: true }).fill(agent.prompt);
  await page.getByLabel("First message").fill(agent.firstMessage);
  await page.getByRole("button", { name: "Create agent" }).click();
  await expect(page.getByRole("heading", { name: agent.name })).toBeVisible();
  return page.url().split("/").pop()!;
}

/** The owner on `page` invites a new person, who accepts in a browser of their own; returns it. */
export async function inviteAndJoin(
  page: Page,
  browser: Browser,
  who: { name: string; role: string; password: string },
) {
  await page.goto("/settings/team");
  const email = `${who.name.toLowerCase()}-${Date.now()}@example.com`;
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Role").selectOption(who.role);
  await page.getByRole("button", { name: "Send invitation" }).click();
  await expect(page.getByRole("main").getByRole("status")).toHaveText(`Invitation sent to ${email}.`);
  const link = /(http\S+\/invite\/\S+)/.exec((await latestMail(email)).text)![1]!;
  const context = await browser.newContext();
  const invitee = await context.newPage();
  await invitee.goto(link);
  await expect(invitee.getByRole("heading", { name: /^Join / })).toBeVisible();
  await invitee.getByLabel("Your name").fill(who.name);
  await invitee.getByLabel("Choose a password").fill(who.password);
  await invitee.getByRole("button", { name: "Create account and join" }).click();
  await expect(invitee.getByTestId("role")).toHaveText(`Role: ${who.role}`);
  return { email, link, context, invitee };
}

/** Waits for the login page, so later fills cannot land on the page being left (its "Current password" matches "Password"). */
export async function logOut(page: Page) {
  await page.getByRole("button", { name: "Log out" }).click();
  await expect(page.getByRole("heading", { name: "Log in to BVRAI" })).toBeVisible();
}
