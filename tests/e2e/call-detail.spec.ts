import { expect, test } from "@playwright/test";
import { createPiiCipher } from "../../core/crypto/pii";
import { createNodeDb } from "../../db/node-client";
import { createAccount } from "../../db/queries/accounts";
import { createAgent } from "../../db/queries/agents";
import { addTurn } from "../../db/queries/call-lifecycle";
import { routeInboundCall } from "../../db/queries/inbound-calls";
import { ownerQuery } from "../support/seed";
import { loginAs } from "./fixtures";
import { e2e } from "./settings";

test("the call page shows each turn, what was interrupted, and each reply's latency by stage", async ({ page }) => {
  const db = createNodeDb(e2e.appUrl, { max: 1 });
  const pii = createPiiCipher({
    keys: e2e.serverEnv.PII_ENCRYPTION_KEYS!,
    blindIndexKey: e2e.serverEnv.PII_BLIND_INDEX_KEY!,
  });
  const { user, tenantId } = await createAccount(db, {
    email: `lat-${Date.now()}@example.com`,
    name: "Lat",
    passwordHash: "x",
    tenantName: "Latency Ltd",
    emailVerified: true,
  });
  const agent = await createAgent(db, {
    tenantId,
    actor: { userId: user.id, ip: null },
    name: "Desk",
    systemPrompt: "p",
    firstMessage: "Hi",
    voice: "sandbox-alloy",
    model: "gpt-4o-mini",
  });
  const number = `+1555${String(Date.now()).slice(-7)}`;
  await ownerQuery(e2e.ownerUrl, "insert into phone_numbers (tenant_id, e164, agent_id) values ($1, $2, $3)", [
    tenantId,
    number,
    agent.id,
  ]);
  const route = await routeInboundCall(db, pii, {
    to: number,
    from: "+14155550777",
    providerCallSid: `CA${crypto.randomUUID().replace(/-/g, "")}`,
    signer: "platform",
  });
  if (route.kind !== "connect") throw new Error(route.kind);
  const owner = { tenantId, callId: route.callId };
  await addTurn(db, { ...owner, seq: 0, speaker: "agent", text: "Hi", offsetMs: 0 });
  await addTurn(db, {
    ...owner,
    seq: 1,
    speaker: "caller",
    text: "Do you do house calls?",
    offsetMs: 1500,
    endOffsetMs: 2600,
  });
  await addTurn(db, {
    ...owner,
    seq: 2,
    speaker: "agent",
    text: "Yes, we do house calls.",
    offsetMs: 3100,
    interrupted: true,
    latencyMs: 540,
    latency: { sttMs: 120, llmMs: 260, ttsMs: 150, platformMs: 10 },
  });
  // A slow reply: the model took most of it, and the caller heard over a second of silence.
  await addTurn(db, {
    ...owner,
    seq: 3,
    speaker: "agent",
    text: "Let me check that for you.",
    offsetMs: 6000,
    latencyMs: 1230,
    latency: { sttMs: 300, llmMs: 820, ttsMs: 90, platformMs: 20, networkMs: 80 },
  });
  await db.$pool.end();

  await loginAs(page.context(), user.id, tenantId);
  await page.goto(`/calls/${route.callId}`);
  await expect(page.getByTestId("turn-1")).toContainText("Do you do house calls?");
  await expect(page.getByTestId("turn-2")).toContainText("(interrupted)");
  await expect(page.getByTestId("turn-2").getByRole("img", { name: "540 ms to first audio" })).toBeVisible();
  await expect(page.getByTestId("turn-2").locator("rect")).toHaveCount(4);
  await expect(page.getByTestId("turn-1").getByRole("img")).toHaveCount(0);
  await expect(page.getByTestId("turn-2").getByTestId("silent-turn")).toHaveCount(0);
  await expect(page.getByTestId("turn-3").locator("rect")).toHaveCount(5);
  await expect(page.getByTestId("turn-3").getByTestId("silent-turn")).toContainText(
    "caller heard 1.3 s of silence; slowest: model 820 ms",
  );
});
