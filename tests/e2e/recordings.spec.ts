import { expect, test } from "@playwright/test";
import { ownerQuery } from "../support/seed";
import { e2e } from "./settings";
import { createAgent, signUp } from "./sign-up";

test("an agent that records: the caller hears the disclosure, the call page plays the recording, retention is set", async ({
  page,
}) => {
  test.setTimeout(90_000);
  await signUp(page, { name: "Rita", company: "Rita Repairs", password: "rita-repairs-passphrase" });
  await createAgent(page, {
    name: "Repair desk",
    prompt: "Book repairs.",
    firstMessage: "Rita Repairs, how can I help?",
  });
  await page.getByRole("tab", { name: "After the call" }).click();
  await page.getByLabel(/Record phone calls/).check();
  await expect(page.getByLabel(/Disclosure the agent says/)).toHaveValue(
    "This call is recorded for quality and training.",
  );
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByTestId("toast")).toContainText("Agent saved");

  await page.getByRole("link", { name: "Numbers" }).click();
  await page.getByRole("button", { name: "Search" }).click();
  await page.getByTestId("available-numbers").getByRole("row").nth(1).getByRole("button", { name: /^Buy / }).click();
  await expect(page.getByRole("main").getByRole("status")).toContainText("is yours");
  await page.goto("/calls/new");
  await page.getByLabel("Number to call").fill("+1 415 555 2701");
  await page.getByRole("button", { name: "Place call" }).click();
  await expect(page).toHaveURL(/\/calls\/[0-9a-f-]{36}$/);
  const callId = page.url().split("/").pop()!;
  const [placed] = await ownerQuery<{ provider_call_sid: string }>(
    e2e.ownerUrl,
    "select provider_call_sid from calls where id = $1",
    [callId],
  );
  await fetch(`${e2e.voiceControl}/twilio/answer`, {
    method: "POST",
    body: JSON.stringify({ callSid: placed!.provider_call_sid, talkMs: 1500 }),
  });

  await expect(async () => {
    await page.reload();
    await expect(page.getByTestId("recording-player")).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 30_000 });
  await expect(
    page.getByText("This call is recorded for quality and training. Rita Repairs, how can I help?"),
  ).toBeVisible();
  const audio = await page.request.get(`/calls/${callId}/recording`);
  expect(audio.status()).toBe(200);
  expect(audio.headers()["content-type"]).toBe("audio/wav");
  expect(audio.headers()["cache-control"]).toBe("private, no-store");
  const wav = await audio.body();
  expect(wav.subarray(0, 4).toString()).toBe("RIFF");
  expect(wav.readUInt16LE(22)).toBe(2); // both sides, one channel each
  const part = await page.request.get(`/calls/${callId}/recording`, { headers: { range: "bytes=0-43" } });
  expect(part.status()).toBe(206);
  expect((await part.body()).equals(wav.subarray(0, 44))).toBe(true);

  await page.goto("/settings/recordings");
  // The browser stops 0 itself; without its check, the server still refuses it.
  await page.getByLabel("Keep recordings for (days)").evaluate((el) => el.removeAttribute("min"));
  await page.getByLabel("Keep recordings for (days)").fill("0");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("alert")).toHaveText("At least 1 day");
  await page.getByLabel("Keep recordings for (days)").fill("14");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("main").getByRole("status")).toHaveText("Saved.");
  await page.goto(`/calls/${callId}`);
  await expect(page.getByText(/kept until \d{4}-\d{2}-\d{2}/)).toBeVisible();
});
