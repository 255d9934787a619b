import { decodeBase32IgnorePadding } from "@oslojs/encoding";
import { generateHOTP } from "@oslojs/otp";
import { expect, test } from "@playwright/test";
import { ownerQuery } from "../support/seed";
import { latestMail, loginAs } from "./fixtures";
import { e2e } from "./settings";
import { codeFromMailbox, createAgent, inviteAndJoin, logOut, signUp } from "./sign-up";

test("sign-up is finished only with the emailed code; a wrong code is refused", async ({ page }) => {
  const email = `vera-${Date.now()}@example.com`;
  await page.goto("/signup");
  await page.getByLabel("Your name").fill("Vera");
  await page.getByLabel("Company").fill("Vera Vets");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("password");
  await page.getByRole("button", { name: "Sign up" }).click();
  await expect(page.getByText(/at least 8 characters|common passwords/).last()).toBeVisible();
  await page.getByLabel("Password").fill("vera-vets-passphrase");
  await page.getByRole("button", { name: "Sign up" }).click();
  await expect(page.getByRole("heading", { name: "Check your email" })).toBeVisible();

  // Unverified: the portal is closed.
  await page.goto("/agents");
  await expect(page).toHaveURL(/\/verify-email$/);
  const code = await codeFromMailbox(page, email);
  await page.getByLabel("Verification code").fill(code === "000000" ? "111111" : "000000");
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page.getByRole("alert")).toHaveText(/not right/);
  await page.getByLabel("Verification code").fill(code);
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page.getByRole("heading", { name: "Home", level: 1 })).toBeVisible();
});

test("an owner invites a viewer, who accepts and can look but not change", async ({ page, browser }) => {
  await signUp(page, { name: "Olga", company: "Olga Optics", password: "olga-optics-passphrase" });
  await createAgent(page, { name: "Optician desk", prompt: "Book eye tests.", firstMessage: "Olga Optics, hello!" });
  const {
    email: invitee,
    link,
    context,
    invitee: viewer,
  } = await inviteAndJoin(page, browser, { name: "Viktor", role: "viewer", password: "viktor-viewer-passphrase" });
  await expect(viewer.getByRole("heading", { name: "Home", level: 1 })).toBeVisible();
  await viewer.getByRole("navigation").first().getByRole("link", { name: "Agents", exact: true }).click();
  await expect(viewer.getByRole("heading", { name: "Agents" })).toBeVisible();

  // Read-only in the UI, and refused by the server if forced.
  await expect(viewer.getByRole("link", { name: "New agent" })).toHaveCount(0);
  await viewer.getByRole("link", { name: "Optician desk" }).click();
  await expect(viewer.getByLabel("First message")).toHaveValue("Olga Optics, hello!");
  await expect(viewer.getByRole("button", { name: "Save" })).toHaveCount(0);
  await expect(viewer.getByRole("button", { name: "Delete agent" })).toHaveCount(0);
  expect((await viewer.goto("/agents/new"))!.status()).toBe(403);
  await viewer.goto("/settings/team");
  await expect(viewer.getByRole("button", { name: "Send invitation" })).toHaveCount(0);
  await expect(viewer.getByRole("link", { name: "Audit log" })).toHaveCount(0);

  // The link is spent.
  expect((await viewer.goto(link))!.status()).toBe(404);
  await context.close();

  // The owner sees the new member, and the audit log has the story.
  await page.goto("/settings/team");
  await expect(page.getByTestId(`role-${invitee}`)).toHaveText("viewer");
  await page.goto("/settings/audit?category=member");
  await expect(page.getByRole("cell", { name: "member.joined" })).toBeVisible();
  await expect(page.getByRole("cell", { name: "member.invited" })).toBeVisible();
});

test("two-factor: enrol with an authenticator, then log in with a code or a recovery code", async ({ page }) => {
  const password = "two-factor-passphrase";
  const email = await signUp(page, { name: "Tess", company: "Tess Tours", password });
  await page.goto("/settings/security");
  const secret = (await page.getByTestId("totp-secret").textContent())!.trim();
  // A code is accepted once, and never one for an earlier step: signing in after enrolling takes the
  // next step's code (accepted: one step of drift either way).
  const totp = (stepsAhead = 0) =>
    generateHOTP(decodeBase32IgnorePadding(secret), BigInt(Math.floor(Date.now() / 30_000) + stepsAhead), 6);
  await page.getByLabel("Code from the app").fill(totp() === "000000" ? "111111" : "000000");
  await page.getByRole("button", { name: "Turn on two-factor" }).click();
  await expect(page.getByRole("alert")).toHaveText(/does not match/);
  await page.getByLabel("Code from the app").fill(totp());
  await page.getByRole("button", { name: "Turn on two-factor" }).click();
  await expect(page.getByTestId("recovery-codes").locator("li")).toHaveCount(10);
  const codes = await page.getByTestId("recovery-codes").locator("li").allInnerTexts();
  expect(codes).toHaveLength(10);

  const logIn = async () => {
    await logOut(page);
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(password);
    await page.getByRole("button", { name: "Log in" }).click();
    await expect(page.getByRole("heading", { name: "Two-factor authentication" })).toBeVisible();
  };
  await logIn();
  // Password alone opens nothing.
  await page.goto("/agents");
  await expect(page).toHaveURL(/\/login\/two-factor/);
  await page.getByLabel("Code from your authenticator app").fill(totp(1));
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page.getByRole("heading", { name: "Home", level: 1 })).toBeVisible();

  await logIn();
  await page.getByText("Lost your device?").click();
  await page.getByLabel("Recovery code").fill(codes[0]!);
  await page.getByRole("button", { name: "Use recovery code" }).click();
  await expect(page.getByRole("heading", { name: "Home", level: 1 })).toBeVisible();
  await page.goto("/settings/security");
  await expect(page.getByText("9 recovery codes left.")).toBeVisible();
});

test("too many wrong passwords lock the account for a while, with the wait stated", async ({ page }) => {
  const email = await signUp(page, { name: "Wanda", company: "Wanda Wares", password: "wanda-wares-passphrase" });
  await logOut(page);
  for (let i = 0; i < 10; i++) {
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(`wrong-password-${i}`);
    await page.getByRole("button", { name: "Log in" }).click();
    await expect(page.getByRole("alert")).toHaveText(/do not match/);
  }
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("wanda-wares-passphrase");
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page.getByRole("alert")).toHaveText(/Too many attempts\. Try again in \d+ s\./);

  // The owner (logged in by a session-row fixture) sees the failures, with actor and IP.
  const [user] = await ownerQuery<{ id: string; tenant_id: string }>(
    e2e.ownerUrl,
    "select u.id, m.tenant_id from users u join memberships m on m.user_id = u.id where u.email = $1",
    [email],
  );
  await loginAs(page.context(), user!.id, user!.tenant_id);
  await page.goto("/settings/audit?category=auth");
  await expect(page.getByRole("row", { name: /auth\.login_failed/ })).toHaveCount(10);
  await expect(page.getByRole("row", { name: /auth\.login_failed/ }).first()).toContainText("127.0.0.1");
  await expect(page.getByRole("row", { name: /auth\.login_failed/ }).first()).toContainText(email);
});

test("password reset by emailed link: single use, and every old session ends", async ({ page, browser }) => {
  const email = await signUp(page, { name: "Rita", company: "Rita Rugs", password: "rita-rugs-passphrase" });
  const other = await browser.newContext();
  const anon = await other.newPage();
  await anon.goto("/forgot-password");
  await anon.getByLabel("Email").fill(email);
  await anon.getByRole("button", { name: "Email me a link" }).click();
  await expect(anon.getByRole("status")).toContainText("If an account uses that address");
  const link = /(http\S+reset-password\S+)/.exec((await latestMail(email)).text)![1]!;
  await anon.goto(link);
  await anon.getByLabel("New password").fill("rita-new-passphrase");
  await anon.getByRole("button", { name: "Set password" }).click();
  await expect(anon).toHaveURL(/\/login/);
  await anon.goto(link);
  await expect(anon.getByRole("heading", { name: "This link has expired" })).toBeVisible();
  await other.close();

  // The first browser's session ended with the reset.
  await page.goto("/agents");
  await expect(page).toHaveURL(/\/login/);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("rita-new-passphrase");
  await page.getByRole("button", { name: "Log in" }).click();
  // Sent to sign in from /agents, the browser goes back there.
  await expect(page.getByRole("heading", { name: "Agents", level: 1 })).toBeVisible();
});
