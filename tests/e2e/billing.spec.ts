import { expect, test } from "@playwright/test";
import { ownerQuery } from "../support/seed";
import { e2e } from "./settings";
import { signUp } from "./sign-up";

test("upgrade through Stripe Checkout, see the plan and its limits, then a failed payment shows the banner", async ({ page }) => {
  await signUp(page, { name: "Bea", company: "Bea Bakery", password: "bea-bakery-passphrase" });
  await page.goto("/settings/billing");
  await expect(page.getByTestId("billing-summary")).toContainText("Free trial");
  await expect(page.getByTestId("billing-summary")).toContainText("3 numbers · 5 agents · 3 team members");
  await expect(page.getByTestId("cost-so-far")).toHaveText("$0.00");

  // Stripe's hosted pages are not on this machine: stand in for them, as the browser would show them.
  await page.route("https://checkout.stripe.test/**", (route) => route.fulfill({ contentType: "text/html", body: "<h1>Stripe Checkout</h1>" }));
  await page.route("https://billing.stripe.test/**", (route) => route.fulfill({ contentType: "text/html", body: "<h1>Stripe customer portal</h1>" }));
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
  const [tenant] = await ownerQuery<{ stripe_customer_id: string }>(e2e.ownerUrl, "select t.stripe_customer_id from tenants t where t.name = 'Bea Bakery'");
  await fetch(`${e2e.voiceControl}/stripe/fail`, { method: "POST", body: JSON.stringify({ customer: tenant!.stripe_customer_id }) });
  await page.goto("/agents");
  await expect(page.getByTestId("payment-banner")).toContainText("The last payment failed. Update the payment method under Settings → Billing");
});
