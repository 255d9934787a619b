import { expect, test } from "@playwright/test";
import { createNodeDb } from "../../db/node-client";
import { createApiKey } from "../../db/queries/api-keys";
import { seedTenant } from "../support/seed";
import { e2e } from "./settings";

test("the API reference lists every operation and sends a real request with a pasted key, under the portal's CSP", async ({
  page,
}) => {
  const violations: string[] = [];
  page.on("console", (m) => m.type() === "error" && violations.push(m.text()));
  const db = createNodeDb(e2e.appUrl, { max: 1 });
  try {
    const t = await seedTenant(e2e.ownerUrl);
    const { key } = await createApiKey(db, {
      tenantId: t.tenantId,
      name: "reference",
      scopes: ["agents:read"],
      actor: { userId: null, ip: null },
    });
    await page.goto("/api/v1/reference");
    const doc = await (await page.request.get("/api/v1/openapi.json")).json();
    const operations = Object.values(doc.paths as Record<string, object>).flatMap((item) => Object.keys(item));
    await expect(page.locator("section")).toHaveCount(operations.length);
    const agents = page.locator("section", { has: page.getByRole("heading", { name: /^get \/agents$/i }) });
    await agents.getByRole("button", { name: "Send" }).click();
    await expect(agents.locator("pre").last()).toContainText("401"); // no key yet: the API's own answer
    await page.getByLabel("API key for “Send”").fill(key);
    await agents.getByRole("button", { name: "Send" }).click();
    await expect(agents.locator("pre").last()).toContainText("200");
    await expect(agents.locator("pre").last()).toContainText(t.agentId);
    expect(violations.filter((v) => /Content Security Policy|Refused/.test(v))).toEqual([]);
  } finally {
    await db.$pool.end();
  }
});
