import { expect, test } from "@playwright/test";
import { createAgent, signUp } from "./sign-up";

test("an agent's conversation settings and tools are saved, and bad tool JSON is refused with the reason", async ({
  page,
}) => {
  await signUp(page, { name: "Sam", company: "Sam Salons", password: "sam-salons-passphrase" });
  await createAgent(page, { name: "Salon desk", prompt: "Book haircuts.", firstMessage: "Sam Salons, hi!" });
  await page.getByLabel("Language").selectOption("es");
  await page.getByLabel("Temperature (0–2)").fill("0.3");
  await page.getByLabel("End-call phrases (one per line)").fill("adiós");
  await page.getByLabel("The agent may end the call").check();
  await page.getByLabel("Transfer to (E.164, empty = no transfers)").fill("+14155550123");
  await page.getByRole("button", { name: "Show HTTP tools as JSON" }).click();
  await page.getByLabel("HTTP tools (JSON array)").fill("[{ not json");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByText("HTTP tools must be a JSON array")).toBeVisible();

  await page.reload();
  await page.getByLabel("Language").selectOption("es");
  await page.getByLabel("Temperature (0–2)").fill("0.3");
  await page.getByLabel("End-call phrases (one per line)").fill("adiós");
  await page.getByLabel("The agent may end the call").check();
  await page.getByLabel("The agent may press keypad keys (DTMF)").check();
  await page.getByLabel("Transfer to (E.164, empty = no transfers)").fill("+14155550123");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("status")).toHaveText("Saved.");
  await page.reload();
  await expect(page.getByLabel("Language")).toHaveValue("es");
  await expect(page.getByLabel("Temperature (0–2)")).toHaveValue("0.30");
  await expect(page.getByLabel("End-call phrases (one per line)")).toHaveValue("adiós");
  await expect(page.getByLabel("The agent may end the call")).toBeChecked();
  await expect(page.getByLabel("The agent may press keypad keys (DTMF)")).toBeChecked();
  await expect(page.getByLabel("Transfer to (E.164, empty = no transfers)")).toHaveValue("+14155550123");
});
