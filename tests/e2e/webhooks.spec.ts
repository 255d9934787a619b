import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test } from "@playwright/test";
import { Webhook } from "standardwebhooks";
import { signUp } from "./sign-up";

test("add a webhook endpoint, see a failed delivery with its request and answer, fix it and resend", async ({
  page,
}) => {
  const bodies: { headers: Record<string, string>; body: string }[] = [];
  let status = 500;
  const receiver = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      bodies.push({ headers: req.headers as Record<string, string>, body });
      res.writeHead(status).end(status === 500 ? "receiver broken" : "ok");
    });
  });
  await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/bvrai`;
  try {
    await signUp(page, { name: "Hana", company: "Hana Hooks", password: "hana-hooks-passphrase" });
    await page.goto("/settings/webhooks");
    await page.getByLabel("Endpoint URL").fill("not a url");
    await page.getByLabel("Endpoint URL").evaluate((el) => el.removeAttribute("type"));
    await page.getByRole("button", { name: "Add endpoint" }).click();
    await expect(page.getByRole("alert").filter({ hasText: "full URL" })).toBeVisible();
    await page.getByLabel("Endpoint URL").fill(url);
    await page.getByLabel("number.purchased").check();
    await page.getByRole("button", { name: "Add endpoint" }).click();
    const secret = (await page.locator(".secret").textContent())!;
    expect(secret).toMatch(/^whsec_/);

    // Buying a number is the event; the receiver answers 500 the first time.
    await page.getByRole("link", { name: "Numbers" }).click();
    await page.getByLabel("Area code (optional)").fill("564");
    await page.getByRole("button", { name: "Search" }).click();
    const first = page.getByTestId("available-numbers").getByRole("row").nth(1);
    const e164 = (await first.getByRole("cell").first().textContent())!;
    await first.getByRole("button", { name: `Buy ${e164}` }).click();
    await expect(page.getByRole("main").getByRole("status")).toHaveText(`${e164} is yours and ready for calls.`);

    await page.goto("/settings/webhooks");
    await page.getByRole("link", { name: url }).click();
    await page.waitForURL(/\/settings\/webhooks\/[0-9a-f-]{36}$/);
    const endpointPage = page.url();
    await expect(async () => {
      await page.goto(endpointPage);
      await expect(page.getByText(/number\.purchased · failed · 1 attempt · HTTP 500/)).toBeVisible({ timeout: 1000 });
    }).toPass({ timeout: 20_000 });
    await page.getByText(/number\.purchased · failed/).click();
    await expect(page.locator("pre").first()).toContainText(`"e164":"${e164}"`);
    await expect(page.locator("pre").nth(1)).toContainText("receiver broken");

    status = 204;
    await page.getByRole("button", { name: "Resend" }).click();
    await expect(page.getByRole("main").getByRole("status")).toHaveText("Sending again now.");
    await expect(async () => {
      await page.goto(endpointPage);
      await expect(page.getByText(/number\.purchased · delivered · 2 attempts · HTTP 204/)).toBeVisible({
        timeout: 1000,
      });
    }).toPass({ timeout: 20_000 });
    const last = bodies.at(-1)!;
    const event = new Webhook(secret).verify(last.body, last.headers) as {
      type: string;
      data: { number: { e164: string } };
    };
    expect(event).toMatchObject({ type: "number.purchased", data: { number: { e164 } } });
  } finally {
    receiver.close();
  }
});
