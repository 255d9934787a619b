import { expect, test } from "@playwright/test";
import { createPiiCipher } from "../../core/crypto/pii";
import { placeInboundCall } from "../fakes/twilio-caller";
import { ownerQuery } from "../support/seed";
import { e2e } from "./settings";
import { createAgent, signUp } from "./sign-up";

const pii = createPiiCipher({
  keys: e2e.serverEnv.PII_ENCRYPTION_KEYS!,
  blindIndexKey: e2e.serverEnv.PII_BLIND_INDEX_KEY!,
});

test("buy a number, give it to an agent, take a call on it, rename it, and release it", async ({ page }) => {
  await signUp(page, { name: "Nora", company: "Nora Nails", password: "nora-nails-passphrase" });
  await createAgent(page, { name: "Nail desk", prompt: "Book nails.", firstMessage: "Nora Nails, hello!" });
  await page.getByRole("link", { name: "Numbers" }).click();
  await expect(page.getByTestId("number-allowance")).toHaveText("0 of 3 numbers in use.");
  await page.getByLabel("Area code (optional)").fill("abc");
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page.getByText("Digits only")).toBeVisible();
  await page.getByLabel("Area code (optional)").fill("628");
  await page.getByRole("button", { name: "Search" }).click();
  const first = page.getByTestId("available-numbers").getByRole("row").nth(1);
  const e164 = (await first.getByRole("cell").first().textContent())!;
  expect(e164).toMatch(/^\+1628\d{7}$/);
  await first.getByLabel("Answered by").selectOption({ label: "Nail desk" });
  await first.getByRole("button", { name: `Buy ${e164}` }).click();
  await expect(page.getByRole("main").getByRole("status")).toHaveText(`${e164} is yours and ready for calls.`);
  await expect(page.getByRole("row", { name: new RegExp(`\\${e164}.*Nail desk`) })).toBeVisible();
  await expect(page.getByTestId("number-allowance")).toHaveText("1 of 3 numbers in use.");

  // Twilio rings the number, signing with the tenant's subaccount token as it would.
  const [account] = await ownerQuery<{ tenant_id: string; account_sid: string; auth_token: string }>(
    e2e.ownerUrl,
    "select a.tenant_id, a.account_sid, a.auth_token from twilio_accounts a join phone_numbers n on n.twilio_account_id = a.id where n.e164 = $1",
    [e164],
  );
  const authToken = await pii.decrypt(account!.auth_token, {
    tenantId: account!.tenant_id,
    table: "twilio_accounts",
    column: "auth_token",
  });
  const call = await placeInboundCall({
    edgeUrl: e2e.edgeUrl,
    authToken,
    accountSid: account!.account_sid,
    to: e164,
    from: "+14155550177",
    talkMs: 1500,
  });
  expect(call.twimlStatus).toBe(200);
  expect(call.agentFrames).toBeGreaterThan(0);
  await page.getByRole("link", { name: "Calls" }).click();
  await expect(page.getByRole("cell", { name: "Nail desk" })).toBeVisible();

  // Outbound: the do-not-call list is honoured; a call to anyone else greets them by name.
  await page.getByRole("link", { name: "Numbers" }).click();
  await page.getByRole("link", { name: "Do-not-call list" }).click();
  await expect(page.getByRole("heading", { name: "Do-not-call list" })).toBeVisible();
  await page.getByLabel("Number", { exact: true }).fill("not a number");
  await page.getByRole("button", { name: "Add to the list" }).click();
  await expect(page.getByText('"not a number" is not a phone number')).toBeVisible();
  await page.getByLabel("Number", { exact: true }).fill("+1 415 555 2690");
  await page.getByRole("button", { name: "Add to the list" }).click();
  await expect(page.getByTestId("do-not-call")).toContainText("+14155552690");
  await page.goto("/calls/new");
  await page.getByLabel("Number to call").fill("(415) 555-2690");
  await page.getByRole("button", { name: "Place call" }).click();
  await expect(page.getByRole("alert")).toContainText("is not a phone number");
  await page.getByLabel("Number to call").fill("+1 415 555 2690");
  await page.getByRole("button", { name: "Place call" }).click();
  await expect(page.getByRole("alert")).toHaveText("+14155552690 is on your do-not-call list.");
  await page.getByLabel("Number to call").fill("+1 415 555 2691");
  await page.getByLabel(/Variables for this call/).fill("name = Ada");
  await page.getByRole("button", { name: "Place call" }).click();
  await expect(page).toHaveURL(/\/calls\/[0-9a-f-]{36}$/);
  const callId = page.url().split("/").pop()!;
  const [placed] = await ownerQuery<{ provider_call_sid: string }>(
    e2e.ownerUrl,
    "select provider_call_sid from calls where id = $1",
    [callId],
  );
  const answered = await (
    await fetch(`${e2e.voiceControl}/twilio/answer`, {
      method: "POST",
      body: JSON.stringify({ callSid: placed!.provider_call_sid, talkMs: 1500 }),
    })
  ).json();
  expect(answered.agentFrames).toBeGreaterThan(0);
  await expect(async () => {
    await page.reload();
    await expect(page.getByText("Nora Nails, hello!")).toBeVisible({ timeout: 1000 });
    await expect(page.getByText("twilio.status").first()).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 20_000 });

  await page.getByRole("link", { name: "Numbers" }).click();
  await page.getByRole("link", { name: e164 }).click();
  await page.getByLabel("Name").fill("Front line");
  await page.getByLabel("Answered by").selectOption({ label: "Nobody (callers hear the number is not in service)" });
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("main").getByRole("status")).toHaveText("Saved.");
  await page.getByRole("button", { name: "Release number" }).click();
  await expect(page.getByText("Tick the box to confirm")).toBeVisible();
  await page.getByLabel(/I understand that releasing/).check();
  await page.getByRole("button", { name: "Release number" }).click();
  await expect(page).toHaveURL(/\/numbers$/);
  await expect(page.getByTestId("number-allowance")).toHaveText("0 of 3 numbers in use.");
  expect(await ownerQuery(e2e.ownerUrl, "select id from phone_numbers where e164 = $1", [e164])).toEqual([]);
});
