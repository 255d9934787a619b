import { expect, test } from "@playwright/test";
import { codeFromMailbox, createAgent, inviteAndJoin, signUp } from "./sign-up";

test("one person, two teams: create a second team and switch between them", async ({ page }) => {
  await signUp(page, { name: "Mona", company: "Mona Movers", password: "mona-movers-passphrase" });
  await createAgent(page, { name: "Moving desk", prompt: "Quote moves.", firstMessage: "Mona Movers!" });
  await page.goto("/teams/new");
  await page.getByLabel("Team name").fill("Mona Storage");
  await page.getByRole("button", { name: "Create team" }).click();
  await expect(page.getByRole("heading", { name: "Home", level: 1 })).toBeVisible();
  await page.getByRole("navigation").first().getByRole("link", { name: "Agents", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Agents" })).toBeVisible();
  await expect(page.getByText("No agents yet.")).toBeVisible();
  await expect(page.getByTestId("role")).toHaveText("Role: owner");

  await page.getByLabel("Team").selectOption({ label: "Mona Movers" });
  await page.getByRole("button", { name: "Switch" }).click();
  await expect(page.getByRole("heading", { name: "Home", level: 1 })).toBeVisible();
  await page.getByRole("navigation").first().getByRole("link", { name: "Agents", exact: true }).click();
  await expect(page.getByRole("link", { name: "Moving desk" })).toBeVisible();
});

test("owners change roles and remove members, but never the last owner", async ({ page, browser }) => {
  await signUp(page, { name: "Otto", company: "Otto Organs", password: "otto-organs-passphrase" });
  const {
    email: member,
    context,
    invitee: mia,
  } = await inviteAndJoin(page, browser, { name: "Mia", role: "member", password: "mia-member-passphrase" });

  // The only owner cannot step down.
  await page.goto("/settings/team");
  await page.getByRole("row", { name: /Otto/ }).getByRole("link", { name: "Manage" }).click();
  await expect(page.getByRole("heading", { name: "Otto" })).toBeVisible();
  await page.getByLabel("Role").selectOption("admin");
  await page.getByRole("button", { name: "Change role" }).click();
  await expect(page.getByRole("alert")).toHaveText(/at least one owner/);

  // Promote Mia to admin: her next page shows it.
  await page.goto("/settings/team");
  await page.getByRole("row", { name: /Mia/ }).getByRole("link", { name: "Manage" }).click();
  await expect(page.getByRole("heading", { name: "Mia" })).toBeVisible();
  await page.getByLabel("Role").selectOption("admin");
  await page.getByRole("button", { name: "Change role" }).click();
  await expect(page.getByTestId(`role-${member}`)).toHaveText("admin");
  await mia.reload();
  await expect(mia.getByTestId("role")).toHaveText("Role: admin");
  // As an admin she makes an API key: it dies with her membership (below).
  await mia.goto("/settings/api-keys");
  await mia.getByLabel("Name").fill("Mia's script");
  await mia.getByLabel("agents:read").check();
  await mia.getByRole("button", { name: "Create key" }).click();
  const miaKey = (await mia.getByTestId("new-api-key").textContent())!.trim();
  const withMiasKey = () => mia.request.get("/api/v1/agents", { headers: { authorization: `Bearer ${miaKey}` } });
  expect((await withMiasKey()).status()).toBe(200);

  // Remove her: her session in this team ends at once.
  await page.getByRole("row", { name: /Mia/ }).getByRole("link", { name: "Manage" }).click();
  await expect(page.getByRole("heading", { name: "Mia" })).toBeVisible();
  await page.getByRole("button", { name: "Remove from team" }).click();
  await expect(page.getByRole("heading", { name: "Team", exact: true })).toBeVisible();
  await expect(page.getByTestId(`role-${member}`)).toHaveCount(0);
  await mia.reload();
  await expect(mia).toHaveURL(/\/login/);
  expect((await withMiasKey()).status()).toBe(401);
  await context.close();
});

test("API keys are shown once, listed by prefix, revocable, and never written to the audit log", async ({ page }) => {
  await signUp(page, { name: "Kai", company: "Kai Kitchens", password: "kai-kitchens-passphrase" });
  await page.goto("/settings/api-keys");
  await page.getByLabel("Name").fill("Booking backend");
  await page.getByLabel("agents:read").check();
  await page.getByLabel("calls:write").check();
  await page.getByRole("button", { name: "Create key" }).click();
  const key = (await page.getByTestId("new-api-key").textContent())!.trim();
  expect(key).toMatch(/^bv_live_[a-z2-7]{40}$/);
  await page.reload();
  await expect(page.getByText(key)).toHaveCount(0);
  await expect(page.getByRole("cell", { name: `${key.slice(0, 14)}…` })).toBeVisible();
  await expect(page.getByRole("cell", { name: "agents:read, calls:write" })).toBeVisible();

  await page.getByRole("link", { name: "Revoke…" }).click();
  await page.getByRole("button", { name: "Revoke key" }).click();
  await expect(page.getByRole("heading", { name: "API keys" })).toBeVisible();
  await expect(page.getByRole("cell", { name: "Booking backend" })).toHaveCount(0);

  await page.goto("/settings/audit?category=api_key");
  await expect(page.getByRole("cell", { name: "api_key.created" })).toBeVisible();
  await expect(page.getByRole("cell", { name: "api_key.revoked" })).toBeVisible();
  expect(await page.content()).not.toContain(key.slice(14));
});

test("change password (other devices signed out) and change email (confirmed by code)", async ({ page, browser }) => {
  const email = await signUp(page, { name: "Cleo", company: "Cleo Cakes", password: "cleo-cakes-passphrase" });
  const other = await browser.newContext();
  const second = await other.newPage();
  await second.goto("/login");
  await second.getByLabel("Email").fill(email);
  await second.getByLabel("Password").fill("cleo-cakes-passphrase");
  await second.getByRole("button", { name: "Log in" }).click();
  await expect(second.getByRole("heading", { name: "Home", level: 1 })).toBeVisible();

  await page.goto("/settings/account");
  await expect(page.getByText("You are signed in on 1 other device.")).toBeVisible();
  await page.getByLabel("Current password").first().fill("cleo-cakes-passphrase");
  await page.getByLabel("New password").fill("cleo-bakes-new-passphrase");
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByRole("main").getByRole("status")).toHaveText("Password changed.");
  await second.reload();
  await expect(second).toHaveURL(/\/login/);
  await other.close();

  const newEmail = `cleo-new-${Date.now()}@example.com`;
  await page.getByLabel("New email").fill(newEmail);
  await page.locator("#emailPassword").fill("cleo-bakes-new-passphrase");
  await page.getByRole("button", { name: "Send confirmation code" }).click();
  await expect(page.getByLabel(`Code sent to ${newEmail}`)).toBeVisible();
  const code = await codeFromMailbox(page, newEmail);
  await page.getByLabel(`Code sent to ${newEmail}`).fill(code);
  await page.getByRole("button", { name: "Confirm new email" }).click();
  await expect(page.getByTestId("account-email")).toHaveText(newEmail);
});

test("pages run under the nonce CSP with no violations, and framing is refused", async ({ page }) => {
  await page.addInitScript(() => {
    (window as unknown as { cspViolations: string[] }).cspViolations = [];
    document.addEventListener("securitypolicyviolation", (e) =>
      (window as unknown as { cspViolations: string[] }).cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`),
    );
  });
  const response = await page.goto("/signup");
  expect(response!.headers()["content-security-policy"]).toMatch(/script-src 'nonce-/);
  expect(response!.headers()["x-frame-options"]).toBe("DENY");
  await signUp(page, { name: "Nina", company: "Nina Nails", password: "nina-nails-passphrase" });
  // Client-side navigation works, so the hydrated app's scripts ran.
  await page.getByRole("link", { name: "Calls" }).click();
  await expect(page.getByRole("heading", { name: "Calls" })).toBeVisible();
  await page.getByRole("link", { name: "Settings" }).click();
  await expect(page.getByRole("heading", { name: "Account" })).toBeVisible();
  expect(await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations)).toEqual([]);
});
