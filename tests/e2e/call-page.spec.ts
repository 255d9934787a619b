import { expect, test } from "@playwright/test";
import { folderStore } from "../../app/recordings/object-store.server";
import { putRecording } from "../../app/recordings/recordings.server";
import { createPiiCipher } from "../../core/crypto/pii";
import { createNodeDb } from "../../db/node-client";
import { createAccount } from "../../db/queries/accounts";
import { createAgent } from "../../db/queries/agents";
import { addTurn } from "../../db/queries/call-lifecycle";
import { routeInboundCall } from "../../db/queries/inbound-calls";
import { ownerQuery } from "../support/seed";
import { loginAs } from "./fixtures";
import { e2e } from "./settings";

/** Ten seconds of 8 kHz stereo, as Twilio records a call: the caller on the left, the agent on the right. */
function recording() {
  const frames = 80_000;
  const out = Buffer.alloc(44 + frames * 4);
  out.write("RIFF", 0);
  out.writeUInt32LE(36 + frames * 4, 4);
  out.write("WAVEfmt ", 8);
  out.writeUInt32LE(16, 16);
  out.writeUInt16LE(1, 20);
  out.writeUInt16LE(2, 22);
  out.writeUInt32LE(8000, 24);
  out.writeUInt32LE(32_000, 28);
  out.writeUInt16LE(4, 32);
  out.writeUInt16LE(16, 34);
  out.write("data", 36);
  out.writeUInt32LE(frames * 4, 40);
  for (let i = 0; i < frames; i++) {
    const tone = Math.round(Math.sin(i / 4) * 8000);
    const callerSpeaks = i >= 16_000 && i < 40_000;
    out.writeInt16LE(callerSpeaks ? tone : 0, 44 + i * 4);
    out.writeInt16LE(callerSpeaks ? 0 : tone, 46 + i * 4);
  }
  return new Uint8Array(out);
}

test("a recorded call plays beside its transcript: two-lane waveform, seeking lines, a timeline and costs", async ({
  page,
}) => {
  const db = createNodeDb(e2e.appUrl, { max: 1 });
  const pii = createPiiCipher({
    keys: e2e.serverEnv.PII_ENCRYPTION_KEYS!,
    blindIndexKey: e2e.serverEnv.PII_BLIND_INDEX_KEY!,
  });
  const { user, tenantId } = await createAccount(db, {
    email: `play-${Date.now()}@example.com`,
    name: "Play",
    passwordHash: "x",
    tenantName: "Playback Ltd",
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
  const [phone] = await ownerQuery<{ id: string }>(
    e2e.ownerUrl,
    "insert into phone_numbers (tenant_id, e164, agent_id) values ($1, $2, $3) returning id",
    [tenantId, number, agent.id],
  );
  const route = await routeInboundCall(db, pii, {
    to: number,
    from: "+14155550778",
    providerCallSid: `CA${crypto.randomUUID().replace(/-/g, "")}`,
    signer: "platform",
  });
  if (route.kind !== "connect") throw new Error(route.kind);
  const owner = { tenantId, callId: route.callId };
  await addTurn(db, { ...owner, seq: 0, speaker: "agent", text: "Desk here, how can I help?", offsetMs: 0 });
  await addTurn(db, { ...owner, seq: 1, speaker: "caller", text: "Is Friday free?", offsetMs: 2000 });
  await addTurn(db, { ...owner, seq: 2, speaker: "tool", text: 'check_day({"day":"fri"}) → free', offsetMs: 4800 });
  await addTurn(db, {
    ...owner,
    seq: 3,
    speaker: "agent",
    text: "Friday is free, shall I book it?",
    offsetMs: 5500,
    latencyMs: 640,
    latency: { sttMs: 120, llmMs: 360, ttsMs: 150, platformMs: 10 },
  });
  await db.$pool.end();
  await ownerQuery(
    e2e.ownerUrl,
    `update calls set status = 'completed', started_at = now() - interval '20 seconds', ended_at = now(),
       duration_seconds = 10, cost_micros = 15000, provider_price_micros = -8500, provider_price_unit = 'USD' where id = $1`,
    [route.callId],
  );
  await ownerQuery(
    e2e.ownerUrl,
    `insert into call_events (tenant_id, call_id, type, payload) values ($1, $2, 'call.dtmf_sent', '{"digits":"5#","at":6200}')`,
    [tenantId, route.callId],
  );
  await ownerQuery(
    e2e.ownerUrl,
    "insert into usage_records (tenant_id, call_id, kind, quantity, unit_price_micros, amount_micros) values ($1, $2, 'call_seconds', 10, 1500, 15000)",
    [tenantId, route.callId],
  );
  const audio = recording();
  const [rec] = await ownerQuery<{ id: string }>(
    e2e.ownerUrl,
    "insert into recordings (tenant_id, call_id, provider_recording_sid, provider_media_url, status, stored_at, bytes, content_type, duration_seconds, channels) values ($1, $2, $3, 'https://api.twilio.com/x', 'stored', now(), $4, 'audio/wav', 10, 2) returning id",
    [tenantId, route.callId, `RE${crypto.randomUUID().replace(/-/g, "")}`, audio.length],
  );
  const key = await putRecording(
    { pii, store: folderStore(e2e.serverEnv.RECORDINGS_DIR!) },
    { tenantId, callId: route.callId, id: rec!.id },
    audio,
  );
  await ownerQuery(e2e.ownerUrl, "update recordings set storage_key = $2 where id = $1", [rec!.id, key]);

  await loginAs(page.context(), user.id, tenantId);
  await page.goto(`/calls/${route.callId}`);
  const player = page.getByTestId("recording-player");
  await expect(player).toBeVisible();

  // Two lanes, each a bar per bucket once the peaks arrive; the caller is silent where the agent speaks.
  for (const lane of ["caller", "agent"]) {
    await expect(page.getByTestId(`waveform-lane-${lane}`).locator("path")).toHaveAttribute(
      "d",
      /^(M[\d.]+ [\d.]+V[\d.]+){600}$/,
      { timeout: 45_000 }, // the first page after the dev server starts waits for Vite to build its modules
    );
  }
  const audioEl = page.getByTestId("recording-audio");
  const currentTime = () => audioEl.evaluate((a: HTMLAudioElement) => a.currentTime);

  // A line plays from its offset and is marked as the one heard.
  await page.getByTestId("turn-3").getByRole("button").click();
  await expect.poll(currentTime).toBeCloseTo(5.5, 1);
  await expect(page.getByTestId("turn-3")).toHaveAttribute("aria-current", "true");
  await expect(page.getByTestId("turn-1")).not.toHaveAttribute("aria-current", "true");
  await page.getByTestId("turn-1").getByRole("button").click();
  await expect.poll(currentTime).toBeCloseTo(2, 1);
  await expect(page.getByTestId("turn-1")).toHaveAttribute("aria-current", "true");
  await expect(page.getByTestId("turn-3")).not.toHaveAttribute("aria-current", "true");

  // The waveform is a slider: arrows move five seconds, and the playhead follows.
  const slider = page.getByRole("slider", { name: "Position in the recording" });
  await expect(slider).toHaveAttribute("aria-valuemax", "10");
  await slider.focus();
  await page.keyboard.press("ArrowRight");
  await expect.poll(currentTime).toBeCloseTo(7, 1);
  await expect(slider).toHaveAttribute("aria-valuenow", "7");
  await expect(page.getByTestId("playhead")).toHaveAttribute("x1", "420");
  await page.keyboard.press("Home");
  await expect.poll(currentTime).toBe(0);

  // Play at double speed: the position moves on its own, and the button says Pause.
  await page.getByRole("button", { name: "2×" }).click();
  await expect(page.getByRole("button", { name: "2×" })).toHaveAttribute("aria-pressed", "true");
  await page.getByRole("button", { name: "Play", exact: true }).click();
  await expect(page.getByRole("button", { name: "Pause", exact: true })).toBeVisible();
  await expect.poll(currentTime).toBeGreaterThan(0.5);
  expect(await audioEl.evaluate((a: HTMLAudioElement) => a.playbackRate)).toBe(2);
  await page.getByRole("button", { name: "Pause", exact: true }).click();
  await expect(page.getByRole("button", { name: "Play", exact: true })).toBeVisible();

  // Tool calls and events on one timeline, in time order.
  const timeline = page.getByTestId("timeline");
  await expect(timeline.getByTestId("timeline-tool")).toContainText('check_day({"day":"fri"}) → free');
  await expect(timeline.getByTestId("timeline-tool")).toContainText("+4.8s");
  await expect(timeline.getByText("call.dtmf_sent")).toBeVisible();
  const types = await timeline.locator("code").allTextContents();
  expect(types.indexOf("tool.called")).toBeLessThan(types.indexOf("call.dtmf_sent"));

  // The cost lines add up to the total, and the page links to the agent's version and the number.
  const amounts = await page.getByTestId("cost-lines").locator("td.text-right").allTextContents();
  expect(amounts).toEqual(["$0.015", "$0.0085"]);
  await expect(page.getByTestId("cost-total")).toHaveText("$0.0235");
  await expect(page.getByTestId("call-number-link")).toHaveAttribute("href", `/numbers/${phone!.id}`);
  await expect(page.getByTestId("turn-3").getByRole("img", { name: "640 ms to first audio" })).toBeVisible();
});
