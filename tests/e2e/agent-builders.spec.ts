import { expect, type Page, test } from "@playwright/test";
import { createAgent, signUp } from "./sign-up";

const sample = (page: Page, voice: string) =>
  page.waitForResponse(
    (r) =>
      r.url().includes(`/agents/voices/preview?voice=${voice}`) &&
      r.status() === 200 &&
      (r.headers()["content-type"] ?? "").startsWith("audio/"),
  );

test("a voice is picked by keyboard and previewed; tools and data fields built in forms persist, and show as JSON", async ({
  page,
}) => {
  test.setTimeout(90_000);
  await signUp(page, { name: "Bea", company: "Bea Bistro", password: "bea-bistro-passphrase" });
  await createAgent(page, { name: "Bistro desk", prompt: "Take table bookings.", firstMessage: "Bea Bistro, hello!" });
  // Hydrated: the tabs and the builders have taken over.
  await expect(page.getByTestId("agent-tabs")).toHaveAttribute("data-ready", "yes");

  // The voice picker is the next stop after the first message, and arrow keys choose in it.
  await page.getByLabel("First message").focus();
  await page.keyboard.press("Tab");
  await expect(page.getByRole("radio", { name: /^Alloy/ })).toBeFocused();
  await page.keyboard.press("ArrowDown");
  await expect(page.getByRole("radio", { name: /^Verse/ })).toBeChecked();
  await page.keyboard.press("ArrowDown");
  const rachel = page.getByRole("radio", { name: /^Rachel/ });
  await expect(rachel).toBeChecked();
  await expect(rachel).toBeFocused();

  let heard = sample(page, "sandbox-verse");
  await page.getByRole("button", { name: "Play a sample of Verse" }).click();
  await heard;
  heard = sample(page, "21m00Tcm4TlvDq8ikWAM");
  await page.getByRole("button", { name: "Play a sample of Rachel" }).click();
  await heard;

  await page.getByRole("tab", { name: "Tools" }).click();
  await page.getByRole("button", { name: "Add HTTP tool" }).click();
  const tool = page.getByRole("region", { name: "Tool 1" });
  await tool.getByLabel("Function").fill("book_table");
  await tool.getByLabel("When the agent should use it").fill("Books a table once day and party size are known");
  await tool.getByLabel("URL").fill("https://api.example.com/book");
  await tool.getByRole("button", { name: "Add header" }).click();
  await tool.getByLabel("Tool 1 header 1", { exact: true }).fill("Authorization");
  await tool.getByLabel("Tool 1 header 1 value").fill("Bearer s3cret-value");
  await expect(tool.getByLabel("Tool 1 header 1 secret")).toBeChecked();
  await expect(tool.getByLabel("Tool 1 header 1 value")).toHaveAttribute("type", "password");
  await tool.getByRole("button", { name: "Add parameter" }).click();
  await tool.getByLabel("Tool 1 parameter 1", { exact: true }).fill("day");
  await tool.getByLabel("Tool 1 parameter 1 required").check();
  await tool.getByRole("button", { name: "Add parameter" }).click();
  await tool.getByLabel("Tool 1 parameter 2", { exact: true }).fill("party_size");
  await tool.getByLabel("Tool 1 parameter 2 type").selectOption("integer");

  await page.getByRole("tab", { name: "After the call" }).click();
  await page.getByRole("button", { name: "Add field" }).click();
  await page.getByLabel("Field 1", { exact: true }).fill("outcome");
  await page.getByLabel("Field 1 type").selectOption("enum");
  await page.getByLabel("Field 1 values").fill("booked, declined");
  await page.getByLabel("Field 1 description").fill("How the booking ended");

  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByTestId("toast")).toContainText("Agent saved");
  await page.reload();
  await expect(page.getByTestId("agent-tabs")).toHaveAttribute("data-ready", "yes");
  expect(await page.content()).not.toContain("s3cret-value");

  await expect(page.getByRole("radio", { name: /^Rachel/, includeHidden: true })).toBeChecked();
  await page.getByRole("tab", { name: "Tools" }).click();
  await expect(tool.getByLabel("Function")).toHaveValue("book_table");
  await expect(tool.getByLabel("Tool 1 header 1", { exact: true })).toHaveValue("Authorization");
  await expect(tool.getByLabel("Tool 1 header 1 value")).toHaveValue("********");
  await expect(tool.getByLabel("Tool 1 parameter 1", { exact: true })).toHaveValue("day");
  await expect(tool.getByLabel("Tool 1 parameter 1 required")).toBeChecked();
  await expect(tool.getByLabel("Tool 1 parameter 2 type")).toHaveValue("integer");
  await expect(page.getByLabel("Field 1", { exact: true })).toHaveValue("outcome");
  await expect(page.getByLabel("Field 1 values")).toHaveValue("booked, declined");

  await page.getByRole("tab", { name: "Tools" }).click();
  await page.getByRole("button", { name: "Show HTTP tools as JSON" }).click();
  const json = page.getByLabel("HTTP tools (JSON array)");
  await expect(json).toHaveValue(/"book_table"/);
  await expect(json).toHaveValue(/"Authorization": "\*{8}"/);
  await expect(json).toHaveValue(/"required": \[\s*"day"\s*\]/);
  // An edit in the JSON carries back to the forms.
  await json.fill((await json.inputValue()).replace("book_table", "book_a_table"));
  await page.getByRole("button", { name: "Show HTTP tools as forms" }).click();
  await expect(tool.getByLabel("Function")).toHaveValue("book_a_table");

  await page.getByRole("tab", { name: "After the call" }).click();
  await page.getByRole("button", { name: "Show structured data as JSON" }).click();
  await expect(page.getByLabel(/Structured data/)).toHaveValue(/"enum": \[\s*"booked",\s*"declined"\s*\]/);
});
