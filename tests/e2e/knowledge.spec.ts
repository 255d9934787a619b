import { expect, test } from "@playwright/test";
import { createAgent, signUp } from "./sign-up";

test("a team builds a knowledge base from files and text, sees each document processed, and attaches it to an agent", async ({
  page,
}) => {
  await signUp(page, { name: "Kai", company: "Kai Cuts", password: "kai-cuts-passphrase" });
  await page.getByRole("link", { name: "Knowledge" }).click();
  await page.getByLabel("New knowledge base").fill("Salon handbook");
  await page.getByRole("button", { name: "Create" }).click();
  await expect(page.getByRole("heading", { name: "Salon handbook" })).toBeVisible();

  await page.getByLabel(/Upload a document/).setInputFiles({
    name: "hours.md",
    mimeType: "text/markdown",
    buffer: Buffer.from("# Hours\n\nOpen Monday to Friday, 9 to 7."),
  });
  await page.getByRole("button", { name: "Upload", exact: true }).click();
  await expect(page.getByRole("main").getByRole("status")).toHaveText("Added hours.md; it is being processed.");
  // A file we cannot read is refused with the reason, and nothing is added.
  await page
    .getByLabel(/Upload a document/)
    .setInputFiles({ name: "scan.pdf", mimeType: "application/pdf", buffer: Buffer.from("not really a pdf") });
  await page.getByRole("button", { name: "Upload", exact: true }).click();
  await expect(page.getByRole("alert")).toHaveText("scan.pdf is not a PDF (it does not start like one)");
  await page.getByLabel("Or paste text: title").fill("Prices");
  await page.getByLabel("Text", { exact: true }).fill("A men's cut costs $35.");
  await page.getByRole("button", { name: "Add text" }).click();
  await expect(page.getByTestId("kb-document")).toHaveCount(2);
  // Processed by the jobs process; the page follows until every document is ready.
  await expect(page.getByTestId("kb-document-status")).toHaveText(["Ready (1 passages)", "Ready (1 passages)"], {
    timeout: 30_000,
  });

  await page.goto("/agents");
  await createAgent(page, { name: "Front desk", prompt: "Answer questions.", firstMessage: "Hi!" });
  await page.getByRole("tab", { name: "Knowledge" }).click();
  await page.getByLabel("Salon handbook").check();
  await page.getByLabel("How the agent uses them").selectOption("tool");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByTestId("toast")).toContainText("Agent saved");
  await page.reload();
  await expect(page.getByLabel("Salon handbook")).toBeChecked();
  await expect(page.getByLabel("How the agent uses them")).toHaveValue("tool");
});
