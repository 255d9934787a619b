import { expect, type Locator, type Page, test } from "@playwright/test";
import { createAgent, signUp } from "./sign-up";

const tab = (page: Page, name: string) =>
  page.getByRole("tablist", { name: "Agent settings" }).getByRole("tab", { name });
const saved = (page: Page) => expect(page.getByTestId("toast")).toContainText("Agent saved");

/** Presses Tab until `target` has the focus, as a keyboard user would; fails after `max` presses. */
async function tabTo(page: Page, target: Locator, max = 80) {
  for (let i = 0; i < max; i++) {
    if (await target.evaluate((el) => el === document.activeElement)) return;
    await page.keyboard.press("Tab");
  }
  throw new Error(`Tab never reached ${target}`);
}

async function newAgent(page: Page, who: string) {
  await signUp(page, { name: who, company: `${who} Dental`, password: `${who.toLowerCase()}-dental-passphrase` });
  return createAgent(page, { name: "Front desk", prompt: "Book check-ups.", firstMessage: "Hello!" });
}

test("settings in several tabs are saved together, and the open tab and the values stay after a reload", async ({
  page,
}) => {
  await newAgent(page, "Tabitha");
  await page.getByLabel("First message").fill("Dental desk, hello!");
  await tab(page, "Tools").click();
  await page.getByLabel("The agent may end the call").check();
  await tab(page, "After the call").click();
  await page.getByLabel(/Success rubric/).fill("A check-up was booked.");
  await tab(page, "Advanced").click();
  await page.getByLabel("Maximum call length (seconds)").fill("600");
  await page.getByRole("button", { name: "Save" }).click();
  await saved(page);
  await expect(page.getByText("Unsaved changes")).toHaveCount(0);

  await page.reload();
  await expect(tab(page, "Advanced")).toHaveAttribute("aria-selected", "true");
  await expect(page.getByLabel("Maximum call length (seconds)")).toBeVisible();
  await expect(page.getByLabel("Maximum call length (seconds)")).toHaveValue("600");
  await expect(page.getByLabel("First message")).toHaveValue("Dental desk, hello!");
  await expect(page.getByLabel("The agent may end the call")).toBeChecked();
  await expect(page.getByLabel(/Success rubric/)).toHaveValue("A check-up was booked.");
});

test("with the keyboard only: reach the tabs, switch with the arrows, fill a field in another tab, save with Enter", async ({
  page,
}) => {
  const agentId = await newAgent(page, "Keith");
  await page.goto(`/agents/${agentId}`);
  await expect(page.getByTestId("agent-tabs")).toHaveAttribute("data-ready", "yes");
  await tabTo(page, tab(page, "Prompt & voice"));
  for (let i = 0; i < 4; i++) await page.keyboard.press("ArrowRight");
  await expect(tab(page, "Advanced")).toHaveAttribute("aria-selected", "true");
  await expect(tab(page, "Advanced")).toBeFocused();
  const silence = page.getByLabel("Silence before the agent checks in (seconds, 0 = never)");
  await tabTo(page, silence, 10);
  await page.keyboard.press("ControlOrMeta+a");
  await page.keyboard.type("45");
  await page.keyboard.press("Enter");
  await saved(page);
  await page.reload();
  await expect(silence).toHaveValue("45");
});

test("a field the browser refuses in a hidden tab opens its tab and gets the focus", async ({ page }) => {
  await newAgent(page, "Ivana");
  await tab(page, "Advanced").click();
  const longest = page.getByLabel("Maximum call length (seconds)");
  await longest.fill("5");
  await tab(page, "Prompt & voice").click();
  await expect(longest).toBeHidden();
  await page.getByRole("button", { name: "Save" }).click();
  await expect(tab(page, "Advanced")).toHaveAttribute("aria-selected", "true");
  await expect(longest).toBeVisible();
  await expect(longest).toBeFocused();
  expect(await longest.evaluate((el: HTMLInputElement) => el.validity.rangeUnderflow)).toBe(true);
});

test("unsaved changes: leaving through the sidebar asks first; staying keeps the edits, leaving goes", async ({
  page,
}) => {
  const agentId = await newAgent(page, "Una");
  await page.getByLabel("First message").fill("Not saved yet");
  await expect(page.getByText("Unsaved changes")).toBeVisible();
  const agents = page.getByRole("navigation", { name: "Portal" }).getByRole("link", { name: "Agents", exact: true });
  await agents.click();
  const dialog = page.getByRole("dialog", { name: "Leave without saving?" });
  await expect(dialog).toBeVisible();
  await dialog.getByRole("button", { name: "Stay and keep editing" }).click();
  await expect(dialog).toBeHidden();
  await expect(page).toHaveURL(new RegExp(`/agents/${agentId}$`));
  await expect(page.getByLabel("First message")).toHaveValue("Not saved yet");

  await agents.click();
  await dialog.getByRole("button", { name: "Leave without saving" }).click();
  await expect(page.getByRole("heading", { name: "Agents", level: 1 })).toBeVisible();
});

test("a save over someone else's newer version shows what they changed, keeps the edits, and can overwrite", async ({
  page,
}) => {
  await newAgent(page, "Conrad");
  const other = await page.context().newPage();
  await other.goto(page.url());
  await other.getByLabel("First message").fill("Their greeting");
  await other.getByRole("button", { name: "Save" }).click();
  await saved(other);

  await page.getByLabel("Prompt", { exact: true }).fill("Book check-ups and cleanings.");
  await page.getByRole("button", { name: "Save" }).click();
  const notice = page.getByRole("alert").filter({ hasText: "saved version 2" });
  await expect(notice).toContainText("Conrad saved version 2 of this agent while you were editing");
  await expect(notice.getByTestId("conflict-changed")).toHaveText(/They changed: First message\./);
  await expect(page.getByLabel("Prompt", { exact: true })).toHaveValue("Book check-ups and cleanings.");

  await notice.getByRole("button", { name: "Keep my edits" }).click();
  await expect(page.getByTestId("keeping")).toHaveText("Saving will replace version 2 with your edits.");
  await page.getByRole("button", { name: "Save" }).click();
  await saved(page);
  await other.reload();
  await expect(other.getByLabel("Prompt", { exact: true })).toHaveValue("Book check-ups and cleanings.");
  await expect(other.getByLabel("First message")).toHaveValue("Hello!");
});
