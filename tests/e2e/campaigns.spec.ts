import { expect, test } from "@playwright/test";
import { parseCsv } from "../../core/csv";
import { ownerQuery } from "../support/seed";
import { e2e } from "./settings";
import { createAgent, signUp } from "./sign-up";

test("a campaign from a CSV: bad lines are reported, then it dials, shows progress, pauses, and exports its results", async ({
  page,
}) => {
  test.setTimeout(120_000);
  await signUp(page, { name: "Cam", company: "Cam Clinics", password: "cam-clinics-passphrase" });
  const agentId = await createAgent(page, {
    name: "Reminder desk",
    prompt: "Remind people.",
    firstMessage: "Hi {{name}}, a reminder from Cam Clinics.",
  });
  await page.getByRole("link", { name: "Numbers" }).click();
  await page.getByRole("button", { name: "Search" }).click();
  await page.getByTestId("available-numbers").getByRole("row").nth(1).getByRole("button", { name: /^Buy / }).click();
  await expect(page.getByRole("main").getByRole("status")).toContainText("is yours");

  await page.getByRole("link", { name: "Campaigns" }).click();
  await expect(page.getByRole("heading", { name: "Campaigns" })).toBeVisible();
  await page.getByLabel("Name", { exact: true }).fill("Flu shots");
  const upload = (csv: string) =>
    page
      .getByLabel(/People to call/)
      .setInputFiles({ name: "people.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
  await upload("phone,name\n+14155552681,Ada\nnonsense,Bob\n");
  await page.getByLabel("Call between (callee's local time)").fill("00:00");
  await page.getByLabel("and", { exact: true }).fill("23:59");
  await page.getByLabel("Time zone for rows without one").fill("UTC");
  await page.getByRole("button", { name: "Start campaign" }).click();
  await expect(page.getByTestId("csv-errors")).toContainText('Line 3: "nonsense" is not a phone number');
  expect(await ownerQuery(e2e.ownerUrl, "select id from campaigns where agent_id = $1", [agentId])).toEqual([]);

  await page.getByLabel("Name", { exact: true }).fill("Flu shots");
  await upload('phone,name\n+14155552681,Ada\n+14155552682,"Bob, Jr."\n');
  await page.getByLabel("Call between (callee's local time)").fill("00:00");
  await page.getByLabel("and", { exact: true }).fill("23:59");
  await page.getByLabel("Time zone for rows without one").fill("UTC");
  await page.getByRole("button", { name: "Start campaign" }).click();
  await expect(page.getByRole("heading", { name: "Flu shots" })).toBeVisible();
  await expect(page.getByTestId("campaign-status")).toHaveText("Status: running");

  // The jobs process dials both rows; the e2e Twilio fake answers each when told to.
  const sids = await expect
    .poll(
      async () =>
        (
          await ownerQuery<{ provider_call_sid: string }>(
            e2e.ownerUrl,
            "select c.provider_call_sid from calls c join campaign_rows r on r.last_call_id = c.id join campaigns k on k.id = r.campaign_id where k.agent_id = $1 and c.provider_call_sid is not null",
            [agentId],
          )
        ).length,
      { timeout: 30_000 },
    )
    .toBe(2)
    .then(() =>
      ownerQuery<{ provider_call_sid: string }>(
        e2e.ownerUrl,
        "select c.provider_call_sid from calls c join campaigns k on k.agent_id = c.agent_id where k.agent_id = $1",
        [agentId],
      ),
    );
  await page.getByRole("button", { name: "Pause" }).click();
  await expect(page.getByTestId("campaign-status")).toHaveText("Status: paused");
  await page.getByRole("button", { name: "Resume" }).click();
  await expect(page.getByTestId("campaign-status")).toHaveText("Status: running");
  for (const { provider_call_sid } of sids)
    await fetch(`${e2e.voiceControl}/twilio/answer`, {
      method: "POST",
      body: JSON.stringify({ callSid: provider_call_sid, talkMs: 500 }),
    });
  await expect(async () => {
    await page.reload();
    await expect(page.getByTestId("campaign-progress")).toHaveText("2 of 2 done", { timeout: 1000 });
  }).toPass({ timeout: 30_000 });
  await expect(page.getByTestId("campaign-status")).toHaveText("Status: completed");

  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "Export results (CSV)" }).click();
  const file = await (await download).path();
  const rows = parseCsv(await (await import("node:fs/promises")).readFile(file, "utf8"));
  expect(rows[0]).toEqual(["row", "phone", "name", "status", "attempts", "outcome", "answered_by", "call_id"]);
  expect(rows.slice(1).map((r) => [r[1], r[2], r[3], r[5]])).toEqual([
    ["+14155552681", "Ada", "completed", "completed"],
    ["+14155552682", "Bob, Jr.", "completed", "completed"],
  ]);
});
