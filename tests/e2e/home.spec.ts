import { expect, test } from "@playwright/test";
import { ownerQuery } from "../support/seed";
import { e2e } from "./settings";
import { createAgent, signUp } from "./sign-up";

test("sign-in lands on Home: the day's and period's figures, what needs attention, and what to do next", async ({
  page,
}) => {
  await signUp(page, { name: "Hana", company: "Hana Hardware", password: "hana-hardware-passphrase" });
  await expect(page).toHaveURL(/\/home$/);
  const nav = page.getByRole("navigation").first().getByRole("link");
  await expect(nav.first()).toHaveText("Home");

  // A new team: zeros, the trial's minutes, and the next step.
  const today = page.getByTestId("figures-today");
  await expect(today.getByRole("heading", { name: "Today (UTC)" })).toBeVisible();
  await expect(today.getByTestId("figure-calls-placed")).toHaveText("0");
  await expect(today.getByTestId("figure-cost")).toHaveText("$0.00");
  await expect(page.getByTestId("figures-period").getByTestId("figure-minutes")).toHaveText("0.0");
  await expect(page.getByTestId("live-now")).toContainText("Live calls now: 0");
  await expect(page.getByTestId("attention")).toContainText("Free trial: 60.0 of 60 minutes left");
  await expect(page.getByTestId("home-no-calls").getByRole("link", { name: "Create an agent" })).toBeVisible();

  const agentId = await createAgent(page, { name: "Tool desk", prompt: "Sell tools.", firstMessage: "Hana Hardware!" });
  await page.getByRole("navigation").first().getByRole("link", { name: "Home", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Home", level: 1 })).toBeVisible();
  await expect(
    page.getByTestId("home-no-calls").getByRole("link", { name: "Place a test call from your browser" }),
  ).toHaveAttribute("href", `/agents/${agentId}/talk`);

  // A call billed today shows in the figures and the recent calls, and links to its page.
  const [call] = await ownerQuery<{ id: string; tenant_id: string }>(
    e2e.ownerUrl,
    `insert into calls (tenant_id, agent_id, direction, status, started_at, ended_at, duration_seconds)
     select a.tenant_id, a.id, 'web', 'completed', now(), now(), 90 from agents a where a.id = $1 returning id, tenant_id`,
    [agentId],
  );
  await ownerQuery(
    e2e.ownerUrl,
    "insert into usage_records (tenant_id, call_id, kind, quantity, unit_price_micros, amount_micros, plan) values ($1, $2, 'call_seconds', 90, 0, 0, 'trial')",
    [call!.tenant_id, call!.id],
  );
  await page.reload();
  await expect(today.getByTestId("figure-calls")).toHaveText("1");
  await expect(today.getByTestId("figure-minutes")).toHaveText("1.5");
  await expect(page.getByTestId("attention")).toContainText("Free trial: 58.5 of 60 minutes left");
  await page.getByRole("region", { name: "Recent calls" }).getByRole("link").first().click();
  await expect(page).toHaveURL(new RegExp(`/calls/${call!.id}$`));
});
