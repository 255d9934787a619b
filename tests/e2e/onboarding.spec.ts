import { mkdirSync } from "node:fs";
import { resolve } from "node:path";
import { expect, test } from "@playwright/test";
import { speechPattern, writeWav } from "../support/wav";
import { e2e } from "./settings";
import { signUp } from "./sign-up";

// The tester's microphone: silence, a question, then quiet.
const wav = resolve(".data/e2e-tester.wav");
mkdirSync(".data", { recursive: true });
writeWav(
  wav,
  speechPattern([
    [1500, false],
    [1200, true],
    [40000, false],
  ]),
  16000,
);
test.use({
  launchOptions: {
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--use-fake-ui-for-media-stream",
      "--use-fake-device-for-media-stream",
      `--use-file-for-fake-audio-capture=${wav}`,
      "--autoplay-policy=no-user-gesture-required",
    ],
  },
});

test("a new team starts from a template, tests the agent in the browser while watching it live, ends it as an admin, and the checklist follows along", async ({
  page,
}) => {
  test.setTimeout(120_000);
  await signUp(page, { name: "Olga", company: "Olga Optics", password: "olga-optics-passphrase" });
  const checklist = page.getByRole("region", { name: "Getting started" });
  await expect(checklist.getByRole("heading")).toHaveText("Getting started: 0 of 4 done");

  await checklist.getByRole("link", { name: "Create an agent (start from a template)" }).click();
  await page.getByRole("navigation", { name: "Templates" }).getByRole("link", { name: "Appointment booking" }).click();
  await expect(page.getByLabel("Name")).toHaveValue("Appointment booker");
  // The template speaks of the team by name, and brings its analysis plan.
  await expect(page.getByLabel("Prompt", { exact: true })).toHaveValue(
    /You book appointments for Olga Optics over the phone/,
  );
  // The template's fields are rows of the structured-data builder; its JSON is one click away.
  await page.getByRole("tab", { name: "After the call" }).click();
  await expect(page.getByRole("textbox", { name: "Field 3", exact: true })).toHaveValue("appointmentTime");
  await page.getByRole("button", { name: "Show structured data as JSON" }).click();
  await expect(page.getByLabel(/Structured data/)).toHaveValue(/appointmentTime/);
  await expect(page.getByLabel(/Success rubric/)).toHaveValue(/An appointment was booked/);
  await page.getByRole("button", { name: "Create agent" }).click();
  await expect(page.getByRole("heading", { name: "Appointment booker" })).toBeVisible();

  await fetch(`${e2e.voiceControl}/script`, {
    method: "POST",
    body: JSON.stringify(["I'd like a haircut on Friday at ten."]),
  });
  await page.getByRole("link", { name: "Test in browser" }).click();
  await page.getByRole("button", { name: "Start test call" }).click();
  const call = page.getByTestId("test-call");
  await expect(call).toHaveAttribute("data-state", /listening|speaking/);
  // Meanwhile, in another tab: the live calls list, and the call's transcript as it happens.
  const monitor = await page.context().newPage();
  await monitor.goto("/calls/live");
  await monitor.getByTestId("live-call-row").getByRole("link").click();
  const live = monitor.getByTestId("live-transcript");
  // The greeting (cut short: the tester speaks over it), the tester's words as recognised, the agent's answer: all seen live.
  await expect(live.getByRole("listitem").first()).toContainText(/agent .*Hi!/);
  await expect(live).toContainText("caller +", { timeout: 30_000 });
  await expect(live).toContainText("You said: I'd like a haircut on Friday at ten.", { timeout: 30_000 });
  await expect(monitor.getByTestId("live-events")).toContainText("call.answered");
  // The owner ends the call from the monitor; the tester's page hears it end.
  monitor.on("dialog", (d) => d.accept());
  await monitor.getByRole("button", { name: "End call" }).click();
  await expect(page.getByRole("main").getByRole("status")).toHaveText("Call ended.", { timeout: 15_000 });
  await expect(monitor.getByTestId("live-call")).toHaveCount(0, { timeout: 15_000 });
  await expect(monitor.getByTestId("call-summary").or(monitor.getByText("Being analysed"))).toBeVisible();
  await monitor.close();
  await page.getByRole("link", { name: "Follow this call live" }).click();
  await expect(page.getByRole("heading", { name: "Call" })).toBeVisible();
  // The call is analysed after it ends (the model fake summarises what the caller said).
  await expect(async () => {
    await page.reload();
    await expect(page.getByTestId("call-summary")).toHaveText("The caller said: I'd like a haircut on Friday at ten.", {
      timeout: 1000,
    });
  }).toPass({ timeout: 30_000 });
  await expect(page.getByTestId("call-success")).toHaveText("Successful: The caller was helped.");

  await page.goto("/agents");
  await expect(checklist.getByRole("heading")).toHaveText("Getting started: 2 of 4 done");
  await expect(checklist.getByRole("listitem").filter({ hasText: "Test it in the browser" })).toHaveAttribute(
    "data-done",
    "yes",
  );
  await expect(checklist.getByRole("link", { name: "Get a phone number" })).toHaveAttribute("href", "/numbers");
});
