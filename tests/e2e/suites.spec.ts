import { expect, test } from "@playwright/test";
import { ownerQuery } from "../support/seed";
import { e2e } from "./settings";
import { createAgent, signUp } from "./sign-up";

test("a tenant writes test cases, runs the suite against a version, sees pass and fail with transcripts, and replays a call against another version", async ({
  page,
}) => {
  await signUp(page, { name: "Tess", company: "Tess Tours", password: "tess-tours-passphrase" });
  const agentId = await createAgent(page, {
    name: "Tour desk",
    prompt: "Sell tours.",
    firstMessage: "Tess Tours, hello!",
  });
  await page.getByLabel("First message").fill("Welcome to Tess Tours!");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByTestId("toast")).toContainText("Agent saved");

  await page.getByRole("link", { name: "Tests" }).click();
  await page.getByLabel("New suite").fill("Smoke");
  await page.getByLabel("For agent").selectOption({ label: "Tour desk" });
  await page.getByRole("button", { name: "Create suite" }).click();
  await expect(page.getByRole("heading", { name: "Smoke" })).toBeVisible();
  // A case with nothing expected is refused, saying why; nothing is lost from the form's intent.
  await page.getByLabel("Name", { exact: true }).fill("echoes");
  await page.getByLabel(/Caller's lines/).fill("Any tours on Sunday?");
  await page.getByRole("button", { name: "Add case" }).click();
  await expect(page.getByText("Add at least one expectation")).toBeVisible();
  await page.getByLabel("Name", { exact: true }).fill("echoes");
  await page.getByLabel(/Caller's lines/).fill("Any tours on Sunday?");
  await page.getByLabel(/The agent must say/).fill("You said: Any tours on Sunday?");
  await page.getByRole("button", { name: "Add case" }).click();
  await page.getByLabel("Name", { exact: true }).fill("greets the new way");
  await page.getByLabel(/Caller's lines/).fill("Hello?");
  await page.getByLabel(/The agent must say/).fill("Welcome to Tess Tours");
  await page.getByRole("button", { name: "Add case" }).click();
  await expect(page.getByTestId("test-case")).toHaveCount(2);

  // Against version 1 (the old greeting): one case passes, one fails.
  await page.getByLabel("Run against version").selectOption("1");
  await page.getByRole("button", { name: "Run suite" }).click();
  await expect(page.getByTestId("run-status")).toHaveText("Failed: 1 passed, 1 failed", { timeout: 30_000 });
  const failed = page.getByTestId("test-result").filter({ hasText: "greets the new way" });
  await expect(failed).toHaveAttribute("data-status", "failed");
  await expect(failed).toContainText('the agent never said "Welcome to Tess Tours"');
  await expect(failed).toContainText("Tess Tours, hello!");

  // A past call on this agent (as the relay leaves one), replayed against version 2.
  const [tenant] = await ownerQuery<{ tenant_id: string }>(e2e.ownerUrl, "select tenant_id from agents where id = $1", [
    agentId,
  ]);
  const [call] = await ownerQuery<{ id: string }>(
    e2e.ownerUrl,
    "insert into calls (tenant_id, agent_id, agent_version, direction, status, started_at, ended_at, duration_seconds, end_reason) values ($1, $2, 1, 'web', 'completed', now(), now(), 5, 'caller_hung_up') returning id",
    [tenant!.tenant_id, agentId],
  );
  for (const [seq, speaker, text] of [
    [0, "agent", "Tess Tours, hello!"],
    [1, "caller", "Any tours on Sunday?"],
    [2, "agent", "I'm not sure."],
  ] as const)
    await ownerQuery(
      e2e.ownerUrl,
      "insert into call_turns (tenant_id, call_id, seq, speaker, text, offset_ms) values ($1, $2, $3, $4, $5, $6)",
      [tenant!.tenant_id, call!.id, seq, speaker, text, seq * 1000],
    );
  await page.goto(`/calls/${call!.id}`);
  await page.getByLabel(/Replay the caller's words against agent version/).fill("2");
  await page.getByRole("button", { name: "Replay" }).click();
  const comparison = page.getByTestId("replay-comparison");
  await expect(comparison.getByRole("row").nth(1).getByRole("cell")).toHaveText(
    ["(greeting)", "Tess Tours, hello!", "Welcome to Tess Tours!"],
    { timeout: 30_000 },
  );
  await expect(comparison.getByRole("row").nth(2).getByRole("cell")).toHaveText([
    "Any tours on Sunday?",
    "I'm not sure.",
    "You said: Any tours on Sunday?",
  ]);
});
