import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { expect, test } from "@playwright/test";
import { placeInboundCall } from "../fakes/twilio-caller";
import { ownerQuery } from "../support/seed";
import { e2e } from "./settings";
import { createAgent, signUp } from "./sign-up";

test("after calls, a webhook, a provider key and an HTTP tool's header are set up, a full database dump holds none of them in clear", async ({
  page,
}) => {
  await signUp(page, { name: "Dora", company: "Dora Dental", password: "dora-dental-passphrase" });
  const agentId = await createAgent(page, {
    name: "Dental desk",
    prompt: "Book cleanings.",
    firstMessage: "Dora Dental!",
  });
  const digits = String(Date.now()).slice(-7);
  // An HTTP tool with a secret header: after saving, the page shows it masked, to its author too.
  const toolSecret = `tool-secret-${digits}`;
  const tool = {
    type: "http",
    name: "book",
    description: "Book a cleaning",
    parameters: { type: "object" },
    url: "https://api.dora.example/book",
    method: "POST",
    headers: { Authorization: `Bearer ${toolSecret}` },
  };
  await page.getByRole("tab", { name: "Tools" }).click();
  await page.getByRole("button", { name: "Show HTTP tools as JSON" }).click();
  await page.getByLabel("HTTP tools (JSON array)").fill(JSON.stringify([tool]));
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByTestId("toast")).toContainText("Agent saved");
  await page.reload();
  await page.getByRole("tab", { name: "Tools" }).click();
  await page.getByRole("button", { name: "Show HTTP tools as JSON" }).click();
  await expect(page.getByLabel("HTTP tools (JSON array)")).toHaveValue(/"Authorization": "\*{8}"/);
  expect(await page.content()).not.toContain(toolSecret);
  const number = `+1555${digits}`;
  const caller = `+1415${digits}`;
  await ownerQuery(
    e2e.ownerUrl,
    "insert into phone_numbers (tenant_id, e164, agent_id) select tenant_id, $1, id from agents where id = $2",
    [number, agentId],
  );
  await placeInboundCall({
    edgeUrl: e2e.edgeUrl,
    authToken: e2e.twilioAuthToken,
    to: number,
    from: caller,
    talkMs: 300,
  });

  const hookHost = `hooks-${digits}.example.com`;
  await page.goto("/settings/webhooks");
  await page.getByLabel("Endpoint URL").fill(`https://${hookHost}/bvrai?token=t0k3n`);
  await page.getByRole("button", { name: "Add endpoint" }).click();
  await expect(page.getByText(`https://${hookHost}/bvrai?token=t0k3n`)).toBeVisible();

  // A tenant's own provider key, through the portal: shown only by its last four characters.
  const ownKey = `sk-own-${digits}-secretkey`;
  await page.goto("/settings/providers");
  await page.getByLabel("API key for OpenAI (language model)").fill(ownKey);
  await page.locator("section", { hasText: "OpenAI" }).getByRole("button", { name: "Save key" }).click();
  await expect(page.getByTestId("key-openai")).toHaveText("Your key ending in …tkey");
  expect(await page.content()).not.toContain(ownKey);

  // The portal shows the caller (decrypted) and finds the call by number (blind index)...
  await expect(async () => {
    await page.goto(`/calls?from=${encodeURIComponent(caller)}`);
    await expect(page.getByRole("cell", { name: caller })).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 20_000 });

  // ...while the database, read as a whole, does not.
  const { stdout } = await promisify(execFile)("pg_dump", ["--data-only", e2e.ownerUrl], {
    maxBuffer: 256 * 1024 * 1024,
  });
  expect(stdout).toContain("pii1.e2e.");
  expect(stdout).not.toContain(caller.slice(1));
  expect(stdout).not.toContain(hookHost);
  expect(stdout).not.toContain("t0k3n");
  expect(stdout).not.toContain(ownKey);
  expect(stdout).not.toContain(toolSecret);
});
