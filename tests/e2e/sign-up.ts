import { expect, type Page } from "@playwright/test";

/** Signs up through the real form, verifies the email from the SANDBOX mailbox page, lands on Agents. */
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
  await expect(page.getByRole("heading", { name: "Agents" })).toBeVisible();
  return email;
}

/** Reads the newest code sent to `email` from /dev/mailbox, in a second tab, as a developer would. */
export async function codeFromMailbox(page: Page, email: string) {
  const mailbox = await page.context().newPage();
  await mailbox.goto("/dev/mailbox");
  const text = await mailbox.locator(`article[data-to="${email}"]`).first().locator("pre").innerText();
  await mailbox.close();
  return /\b(\d{6})\b/.exec(text)![1]!;
}

export async function createAgent(page: Page, agent: { name: string; prompt: string; firstMessage: string }) {
  await page.getByRole("link", { name: "New agent" }).click();
  await page.getByLabel("Name").fill(agent.name);
  await page.getByLabel("Prompt").fill(agent.prompt);
  await page.getByLabel("First message").fill(agent.firstMessage);
  await page.getByRole("button", { name: "Create agent" }).click();
  await expect(page.getByRole("heading", { name: agent.name })).toBeVisible();
  return page.url().split("/").pop()!;
}
