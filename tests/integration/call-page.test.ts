import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { putRecording } from "../../app/recordings/recordings.server";
import { wavPeaks } from "../../core/recordings/peaks";
import { configurePortal, cookieFrom, get, run } from "../support/portal";
import { ownerQuery, seedTenant, seedUser } from "../support/seed";

/**
 * The call page's loader and the recording's waveform, as the portal runs them: peaks of the
 * stored (sealed) file, a timeline in time order, costs that add up, and another team's call a 404.
 */
const ownerUrl = () => inject("ownerUrl");
let portal: Awaited<ReturnType<typeof configurePortal>>;
let routes: Awaited<ReturnType<typeof loadRoutes>>;
const loadRoutes = async () => ({
  call: await import("../../app/routes/_portal.calls.$callId"),
  waveform: await import("../../app/routes/_portal.calls.$callId_.waveform"),
  session: await import("../../app/utils/session.server"),
});

beforeAll(async () => {
  portal = await configurePortal({
    appUrl: inject("appUrl"),
    RECORDINGS_DIR: await mkdtemp(join(tmpdir(), "bvrai-call-page-")),
  });
  routes = await loadRoutes();
});
afterAll(async () => {
  await portal?.services.db.$pool.end();
  portal?.restore();
});

/** Two seconds of 8 kHz stereo: the caller speaks in the first second, the agent in the second. */
function stereoWav() {
  const frames = 16_000;
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
    const wave = Math.round(Math.sin(i / 3) * 12_000);
    out.writeInt16LE(i < 8000 ? wave : 0, 44 + i * 4);
    out.writeInt16LE(i < 8000 ? 0 : wave, 46 + i * 4);
  }
  return new Uint8Array(out);
}

async function recordedCall(audio: Uint8Array) {
  const t = await seedTenant(ownerUrl());
  const owner = await seedUser(ownerUrl(), { tenantId: t.tenantId, role: "owner" });
  const [call] = await ownerQuery<{ id: string }>(
    ownerUrl(),
    `insert into calls (tenant_id, agent_id, direction, status, started_at, provider_price_micros, provider_price_unit)
     values ($1, $2, 'inbound', 'completed', now() - interval '1 minute', -13000, 'USD') returning id`,
    [t.tenantId, t.agentId],
  );
  const callId = call!.id;
  await ownerQuery(
    ownerUrl(),
    `insert into call_turns (tenant_id, call_id, seq, speaker, text, offset_ms) values
       ($1, $2, 0, 'agent', 'Hello', 0), ($1, $2, 1, 'caller', 'Book me in', 1200),
       ($1, $2, 2, 'tool', 'book_slot({"day":"fri"}) → booked', 2500)`,
    [t.tenantId, callId],
  );
  await ownerQuery(
    ownerUrl(),
    `insert into call_events (tenant_id, call_id, type, payload, created_at) values
       ($1, $2, 'call.dtmf_sent', '{"digits":"12#"}', now() - interval '58 seconds'),
       ($1, $2, 'caller.backchannel', '{"text":"uh-huh","at":1800}', now())`,
    [t.tenantId, callId],
  );
  await ownerQuery(
    ownerUrl(),
    `insert into usage_records (tenant_id, call_id, kind, quantity, unit_price_micros, amount_micros)
     values ($1, $2, 'call_seconds', 60, 1500, 90000)`,
    [t.tenantId, callId],
  );
  const [rec] = await ownerQuery<{ id: string }>(
    ownerUrl(),
    `insert into recordings (tenant_id, call_id, provider_recording_sid, provider_media_url, status, stored_at, bytes, content_type)
     values ($1, $2, $3, 'https://api.twilio.com/x', 'stored', now(), $4, 'audio/wav') returning id`,
    [t.tenantId, callId, `RE${crypto.randomUUID().replace(/-/g, "")}`, audio.length],
  );
  const key = await putRecording(
    { pii: portal.services.pii, store: portal.services.recordings },
    { tenantId: t.tenantId, callId, id: rec!.id },
    audio,
  );
  await ownerQuery(ownerUrl(), "update recordings set storage_key = $2 where id = $1", [rec!.id, key]);
  const cookie = cookieFrom(await routes.session.createSession(owner.id, t.tenantId));
  return { ...t, callId, cookie };
}

const open = (loader: Parameters<typeof run>[0], path: string, callId: string, cookie: string) =>
  run(loader, get(path, { cookie }), { callId });

describe("the call page", () => {
  it("draws the stored recording's two channels from the sealed file, and only for its own team", async () => {
    const audio = stereoWav();
    const a = await recordedCall(audio);
    const b = await recordedCall(audio);
    const mine = await open(routes.waveform.loader, `/calls/${a.callId}/waveform`, a.callId, a.cookie);
    expect(mine.status).toBe(200);
    const wave = mine.body as { durationMs: number; channels: number[][]; sampled: boolean };
    expect(wave).toEqual({ ...wavPeaks(audio, 600), sampled: false });
    expect(wave.durationMs).toBe(2000);
    const [caller, agent] = wave.channels as [number[], number[]];
    expect(caller).toHaveLength(600);
    expect(Math.max(...caller.slice(0, 300))).toBeGreaterThan(11_000);
    expect(Math.max(...caller.slice(300))).toBe(0);
    expect(Math.max(...agent.slice(0, 300))).toBe(0);
    expect(Math.max(...agent.slice(300))).toBeGreaterThan(11_000);
    // Asked again (now from the cache), another team's call is still not found.
    for (const path of ["/waveform", ""]) {
      const loader = path ? routes.waveform.loader : routes.call.loader;
      expect((await open(loader, `/calls/${b.callId}${path}`, b.callId, a.cookie)).status).toBe(404);
      expect((await open(loader, `/calls/${a.callId}${path}`, a.callId, b.cookie)).status).toBe(404);
    }
  });

  it("answers why for a stored file that is not audio, rather than failing", async () => {
    const c = await recordedCall(new TextEncoder().encode("RIFF\0\0\0\0WAVEjunk and more junk"));
    const answer = await open(routes.waveform.loader, `/calls/${c.callId}/waveform`, c.callId, c.cookie);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ error: "no audio data in the file's first bytes" });
  });

  it("puts tool calls and events on one timeline by offset, and costs that add up to their total", async () => {
    const c = await recordedCall(stereoWav());
    const page = await open(routes.call.loader, `/calls/${c.callId}`, c.callId, c.cookie);
    expect(page.status).toBe(200);
    const body = page.body as Awaited<ReturnType<typeof routes.call.loader>>;
    const entries = body.timeline.map((e) => [e.type, e.detail]);
    expect(entries).toEqual([
      ["caller.backchannel", "uh-huh"],
      ["call.dtmf_sent", "12#"],
      ["tool.called", 'book_slot({"day":"fri"}) → booked'],
    ]);
    expect(body.timeline.map((e) => e.atMs)).toEqual([1800, expect.any(Number), 2500]);
    expect(body.costs.lines.map((l) => [l.key, l.amount])).toEqual([
      ["call_seconds", "$0.09"],
      ["telephony", "$0.013"],
    ]);
    expect(body.costs.total).toBe("$0.103");
  });
});
