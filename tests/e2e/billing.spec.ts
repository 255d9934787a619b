import { expect, test } from "@playwright/test";
import { ownerQuery } from "../support/seed";
import { e2e } from "./settings";
import { signUp } from "./sign-up";

test("upgrade through Stripe Checkout, see the plan and its limits, then a failed payment shows the banner", async ({
  page,
}) => {
  await signUp(page, { name: "Bea", company: "Bea Bakery", password: "bea-bakery-passphrase" });
  await page.goto("/settings/billing");
  await expect(page.getByTestId("billing-summary")).toContainText("Free trial");
  await expect(page.getByTestId("billing-summary")).toContainText("3 numbers · 5 agents · 3 team members");
  await expect(page.getByTestId("cost-so-far")).toHaveText("$0.00");

  // Stripe's hosted pages are not on this machine: stand in for them, as the browser would show them.
  await page.route("https://checkout.stripe.test/**", (route) =>
    route.fulfill({ contentType: "text/html", body: "<h1>Stripe Checkout</h1>" }),
  );
  await page.route("https://billing.stripe.test/**", (route) =>
    route.fulfill({ contentType: "text/html", body: "<h1>Stripe customer portal</h1>" }),
  );
  await page.getByRole("button", { name: "Choose Pro" }).click();
  await expect(page.getByRole("heading", { name: "Stripe Checkout" })).toBeVisible();
  const sessionId = page.url().split("/").pop()!;
  expect(sessionId).toMatch(/^cs_test_/);
  await fetch(`${e2e.voiceControl}/stripe/checkout`, { method: "POST", body: JSON.stringify({ sessionId }) });

  await page.goto("/settings/billing");
  await expect(page.getByTestId("billing-summary")).toContainText("Pro (active)");
  await expect(page.getByTestId("billing-summary")).toContainText("50 numbers · 200 agents · 50 team members");
  await expect(page.getByRole("button", { name: "Current plan" })).toBeDisabled();
  await page.getByRole("button", { name: /Manage payment method/ }).click();
  await expect(page.getByRole("heading", { name: "Stripe customer portal" })).toBeVisible();

  // A renewal fails: every page says so, and how to fix it; nothing is refused yet (grace period).
  const [tenant] = await ownerQuery<{ stripe_customer_id: string }>(
    e2e.ownerUrl,
    "select t.stripe_customer_id from tenants t where t.name = 'Bea Bakery'",
  );
  await fetch(`${e2e.voiceControl}/stripe/fail`, {
    method: "POST",
    body: JSON.stringify({ customer: tenant!.stripe_customer_id }),
  });
  await page.goto("/agents");
  await expect(page.getByTestId("payment-banner")).toContainText(
    "The last payment failed. Update the payment method under Settings → Billing",
  );

  // Usage: two billed calls (written as the call.ended job would leave them), charted, broken down and exported.
  await ownerQuery(
    e2e.ownerUrl,
    "insert into agents (tenant_id, name, system_prompt, first_message, voice, model) select id, 'Order desk', 'p', 'hi', 'sandbox-alloy', 'gpt-4o-mini' from tenants where name = 'Bea Bakery'",
  );
  const calls = await ownerQuery<{ id: string; tenant_id: string }>(
    e2e.ownerUrl,
    `insert into calls (tenant_id, agent_id, direction, status, started_at, ended_at, duration_seconds)
     select a.tenant_id, a.id, 'web', 'completed', now(), now(), d from agents a, unnest(array[90, 30]) d where a.name = 'Order desk' and a.tenant_id = (select id from tenants where name = 'Bea Bakery') returning id, tenant_id`,
  );
  for (const [i, c] of calls.entries())
    await ownerQuery(
      e2e.ownerUrl,
      "insert into usage_records (tenant_id, call_id, kind, quantity, unit_price_micros, amount_micros, plan) values ($1, $2, 'call_seconds', $3, 1000, $4, 'pro')",
      [c.tenant_id, c.id, [90, 30][i], [90_000, 30_000][i]],
    );
  await page.getByRole("link", { name: "Usage" }).click();
  await expect(page.getByTestId("usage-total")).toContainText("2 calls · 2.0 minutes · average 60 s · $0.12");
  await expect(page.getByTestId("usage-charts").locator("svg.chart")).toHaveCount(4); // per day (2), by agent, by number
  await expect(page.getByTestId("usage-charts").locator(".chart-bar").first()).toBeVisible();
  await expect(page.getByRole("table", { name: "Agent" })).toContainText("Order desk");
  const csv = await page.request.get(`/usage/export?from=2000-01-01&to=2000-01-02`);
  expect(await csv.text()).toBe("time_utc,call_id,agent,number,direction,seconds,cost_micros,cost,plan\r\n");
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: "Export CSV" }).click(),
  ]);
  const text = await (await download.createReadStream()).toArray().then((chunks) => Buffer.concat(chunks).toString());
  expect(text.split("\r\n").filter(Boolean)).toHaveLength(3);
  expect(text).toContain(",Order desk,,web,90,90000,$0.09,pro");
  await page.goto("/usage?from=2026-13-01&to=2026-11-01");
  await expect(page.getByText("Use real dates like 2026-11-01. Showing the last 30 days.")).toBeVisible();
});
