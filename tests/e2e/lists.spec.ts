import { expect, test } from "@playwright/test";
import { ownerQuery } from "../support/seed";
import { e2e } from "./settings";
import { createAgent, signUp } from "./sign-up";

test("lists: empty states say what to do, filters live in the URL, headers sort, pages follow a cursor", async ({
  page,
}) => {
  await signUp(page, { name: "Lise", company: "Lise Lists", password: "lise-lists-passphrase" });

  // Nothing yet: each list names its next step.
  await page.goto("/calls");
  await expect(page.getByTestId("empty-state")).toContainText("No calls yet");
  await expect(page.getByTestId("empty-state").getByRole("link", { name: "Create an agent" })).toBeVisible();
  await page.goto("/numbers");
  await expect(page.getByTestId("empty-state")).toContainText("No numbers yet");
  await page.goto("/campaigns");
  await expect(page.getByTestId("empty-state")).toContainText("No campaigns yet");

  const agentId = await createAgent(page, { name: "List desk", prompt: "Answer.", firstMessage: "Lists here!" });
  await page.goto("/calls");
  await expect(page.getByTestId("empty-state").getByRole("link", { name: "Place a test call" })).toHaveAttribute(
    "href",
    `/agents/${agentId}/talk`,
  );

  // 60 calls, a minute apart: every fifth one failed; durations 0–9 s, so many tie.
  await ownerQuery(
    e2e.ownerUrl,
    `insert into calls (tenant_id, agent_id, direction, status, created_at, duration_seconds)
     select a.tenant_id, a.id, 'web', case when g % 5 = 0 then 'failed' else 'completed' end,
            now() - g * interval '1 minute', g % 10
     from agents a, generate_series(1, 60) g where a.id = $1`,
    [agentId],
  );
  await page.reload();
  const rows = page.getByRole("table", { name: "Calls" }).getByRole("row");
  await expect(rows).toHaveCount(51); // the header and a page of 50

  // The next page follows the cursor and keeps going where the first stopped.
  const firstPageTop = await page.getByTestId("call-duration").first().textContent();
  await page.getByTestId("next-page").click();
  await expect(page).toHaveURL(/cursor=/);
  await expect(rows).toHaveCount(11);
  await expect(page.getByTestId("next-page")).toHaveCount(0);
  await page.getByRole("link", { name: "First page" }).click();
  await expect(rows).toHaveCount(51);
  await expect(page.getByTestId("call-duration").first()).toHaveText(firstPageTop!);

  // Sorting: the header's aria-sort follows the URL; longest first, then shortest first.
  const duration = page.getByRole("columnheader", { name: /Duration/ });
  await expect(duration).toHaveAttribute("aria-sort", "none");
  await duration.getByRole("link").click();
  await expect(page).toHaveURL(/sort=duration&dir=desc/);
  await expect(duration).toHaveAttribute("aria-sort", "descending");
  await expect(page.getByTestId("call-duration").first()).toHaveText("0:09");
  await duration.getByRole("link").click();
  await expect(duration).toHaveAttribute("aria-sort", "ascending");
  await expect(page.getByTestId("call-duration").first()).toHaveText("0:00");

  // A filter from the form goes into the URL, and keeps the sort.
  await page.getByLabel("Status").selectOption("failed");
  await page.getByRole("button", { name: "Find" }).click();
  await expect(page).toHaveURL(/status=failed/);
  await expect(page).toHaveURL(/sort=duration&dir=asc/);
  await expect(rows).toHaveCount(13);
  await expect(page.getByRole("table", { name: "Calls" }).getByText("completed")).toHaveCount(0);
  await expect(page.getByLabel("Status")).toHaveValue("failed");

  // Filtered to nothing: say so, and offer to clear the filters.
  await page.getByLabel("Status").selectOption("ringing");
  await page.getByRole("button", { name: "Find" }).click();
  await expect(page.getByTestId("empty-state")).toContainText("No calls match these filters");
  await page.getByTestId("empty-state").getByRole("link", { name: "Clear filters" }).click();
  await expect(page).toHaveURL(/\/calls$/);
  await expect(rows).toHaveCount(51);

  // A tampered cursor, or one from another sort, is a clear 400, not a server error.
  const bad = await page.goto("/calls?cursor=eyJub3QiOiJvdXJzIn0");
  expect(bad?.status()).toBe(400);
  await expect(page.getByText("This page link is not valid")).toBeVisible();
  await page.goto("/calls");
  const next = new URL((await page.getByTestId("next-page").getAttribute("href"))!, page.url());
  next.searchParams.set("sort", "cost");
  const other = await page.goto(next.toString());
  expect(other?.status()).toBe(400);
  await expect(page.getByText("another sort order")).toBeVisible();
});
