import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createApi } from "../../app/api/app";
import { objectStoreFrom } from "../../app/recordings/object-store.server";
import { openCallRecording } from "../../app/recordings/playback.server";
import {
  putRecording,
  type Recordings,
  recordingBlob,
  resealWholeRecordings,
  storeRecording,
  sweepRecordings,
} from "../../app/recordings/recordings.server";
import { buyNumber, searchNumbers } from "../../app/telephony/numbers.server";
import type { ApiScope } from "../../core/crypto/api-key";
import { CHUNK_SIZE } from "../../core/crypto/chunked";
import { createApiKey } from "../../db/queries/api-keys";
import { routeInboundCall } from "../../db/queries/inbound-calls";
import { setRecordingRetention } from "../../db/queries/recordings";
import { placeInboundCall, recordingWav } from "../fakes/twilio-caller";
import { testApiServices } from "../support/api";
import { ownerQuery, seedTenant } from "../support/seed";
import { startTelephonyStack } from "../support/telephony";
import { eventually } from "../support/wait";

let env: Awaited<ReturnType<typeof startTelephonyStack>>;
let r: Recordings;
const ownerUrl = () => inject("ownerUrl");
const actor = { userId: null, ip: null };

beforeAll(async () => {
  env = await startTelephonyStack(inject("appUrl"));
  r = { ...env.t, store: objectStoreFrom({ ...env.storeEnv }) };
});
afterAll(() => env?.stop());

type Row = {
  id: string;
  status: string;
  provider_deleted_at: Date | null;
  storage_key: string | null;
  bytes: number | null;
  error: string | null;
};
/** The call's recording as the portal's player reads it: whole, or null when there is none. */
async function readCallRecording(
  rr: Pick<Recordings, "db" | "pii" | "store">,
  where: { tenantId: string; callId: string },
) {
  const open = await openCallRecording(rr, where);
  return open && { audio: new Uint8Array(await new Response(open.read(0, open.size - 1)).arrayBuffer()) };
}
const recordingOf = (callSid: string) =>
  ownerQuery<Row>(
    ownerUrl(),
    "select r.* from recordings r join calls c on c.id = r.call_id where c.provider_call_sid = $1",
    [callSid],
  );

/** A tenant with a bought number on an agent that records, and a call Twilio places to it. */
async function recordedCall(areaCode: string, opts: { record?: boolean } = {}) {
  const tenant = { ...(await seedTenant(ownerUrl())), tenantName: "Recorder", actor };
  await ownerQuery(
    ownerUrl(),
    "update agents set record_calls = $2, recording_disclosure = 'This call is recorded.' where id = $1",
    [tenant.agentId, opts.record ?? true],
  );
  const [n] = await searchNumbers(env.t, { country: "US", kind: "local", areaCode });
  const bought = await buyNumber(env.t, { ...tenant, e164: n!.e164, agentId: tenant.agentId });
  const account = env.twilioFake.numbers.get(bought.providerSid!)!.account_sid;
  const authToken = env.twilioFake.accounts.get(account)!.auth_token;
  const call = await placeInboundCall({
    edgeUrl: env.stack.edgeUrl,
    authToken,
    accountSid: account,
    to: bought.e164,
    from: "+14155550170",
    talkMs: 1500,
  });
  const [row] = await ownerQuery<{ id: string }>(ownerUrl(), "select id from calls where provider_call_sid = $1", [
    call.callSid,
  ]);
  return { tenant, account, call, callId: row!.id };
}

describe("call recordings", () => {
  it("are started by the TwiML, announced, copied encrypted into the store once, played, and expired", async () => {
    const { tenant, account, call, callId } = await recordedCall("919");
    expect(call.twiml).toContain(
      `<Start><Recording channels="dual" recordingStatusCallback="${env.stack.edgeUrl}twilio/recording"`,
    );
    const [first] = await ownerQuery<{ text: string }>(
      ownerUrl(),
      "select text from call_turns where call_id = $1 and speaker = 'agent' order by seq limit 1",
      [callId],
    );
    expect(first!.text).toBe("This call is recorded. Hello, thanks for calling Acme.");

    const wav = recordingWav(call.recording!);
    const delivered = await env.twilioFake.deliverRecording(account, call.callSid, call.recording!);
    expect(delivered.status).toBe(204);
    // Twilio may post the same callback again: nothing is filed or queued twice.
    expect(
      await env.twilioFake.postRecordingStatus(env.twilioFake.recordings.get(delivered.recordingSid)!, "completed"),
    ).toBe(204);
    await eventually(
      async () => (await recordingOf(call.callSid))[0]?.provider_deleted_at != null,
      20_000,
      "the recording to be stored and Twilio's copy deleted",
    );
    const rows = await recordingOf(call.callSid);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: "stored", bytes: wav.length, error: null });
    expect(env.twilioFake.recordings.has(delivered.recordingSid)).toBe(false);
    const jobs = await ownerQuery(
      ownerUrl(),
      "select id from pgboss.job where name = 'recording.store' and data->>'recordingId' = $1",
      [rows[0]!.id],
    );
    expect(jobs).toHaveLength(1);

    // At rest it is ciphertext; through the portal's reader it is Twilio's file, byte for byte.
    const atRest = env.s3Fake.objects.get(rows[0]!.storage_key!)!.body;
    expect(atRest.includes(Buffer.from("RIFF"))).toBe(false);
    const played = await readCallRecording(r, { tenantId: tenant.tenantId, callId });
    expect(Buffer.from(played!.audio).equals(wav)).toBe(true);
    expect(new DataView(played!.audio.buffer).getUint16(22, true)).toBe(2); // channels
    // The agent's channel holds the agent's voice; the caller's (silent here) does not.
    const pcm = new Int16Array(played!.audio.buffer.slice(44));
    expect(pcm.filter((_, i) => i % 2 === 1 && pcm[i] !== 0).length).toBeGreaterThan(1000);
    expect(pcm.filter((_, i) => i % 2 === 0 && pcm[i] !== 0).length).toBe(0);
    // Another tenant's id for the same call reads nothing.
    const other = await seedTenant(ownerUrl());
    expect(await readCallRecording(r, { tenantId: other.tenantId, callId })).toBeNull();

    // Kept for the tenant's retention as it is now: shortened to 7 days, an 8-day-old copy goes.
    await setRecordingRetention(env.t.db, { tenantId: tenant.tenantId, days: 7 });
    await ownerQuery(ownerUrl(), "update recordings set stored_at = now() - interval '6 days' where id = $1", [
      rows[0]!.id,
    ]);
    expect(await sweepRecordings(r, () => {})).toBe(0);
    await ownerQuery(ownerUrl(), "update recordings set stored_at = now() - interval '8 days' where id = $1", [
      rows[0]!.id,
    ]);
    expect(await sweepRecordings(r, () => {})).toBe(1);
    expect(env.s3Fake.objects.has(rows[0]!.storage_key!)).toBe(false);
    expect((await recordingOf(call.callSid))[0]!.status).toBe("expired");
    expect(await readCallRecording(r, { tenantId: tenant.tenantId, callId })).toBeNull();
    expect(await sweepRecordings(r, () => {})).toBe(0);
    const events = await ownerQuery<{ type: string }>(
      ownerUrl(),
      "select type from call_events where call_id = $1 and type like 'recording.%' order by created_at",
      [callId],
    );
    expect(events.map((e) => e.type)).toEqual(["recording.completed", "recording.stored", "recording.expired"]);
  }, 60_000);

  it("keeps Twilio's copy while our store is down, and finishes on the retry", async () => {
    const { tenant, account, call, callId } = await recordedCall("920");
    env.s3Fake.unavailable = true;
    try {
      const delivered = await env.twilioFake.deliverRecording(account, call.callSid, call.recording!);
      const [row] = await recordingOf(call.callSid);
      const job = () =>
        ownerQuery<{ state: string }>(
          ownerUrl(),
          "select state from pgboss.job where name = 'recording.store' and data->>'recordingId' = $1",
          [row!.id],
        );
      await eventually(
        async () => (await job())[0]?.state === "retry",
        20_000,
        "the copy job to fail and wait for its retry",
      );
      expect((await recordingOf(call.callSid))[0]!.status).toBe("pending");
      expect(env.twilioFake.recordings.has(delivered.recordingSid)).toBe(true);
      env.s3Fake.unavailable = false;
      // The retry (run here rather than waiting out the backoff) finishes it; a later one finds nothing to do.
      expect(await storeRecording(r, { tenantId: tenant.tenantId, recordingId: row!.id })).toEqual({ stored: true });
      expect(await storeRecording(r, { tenantId: tenant.tenantId, recordingId: row!.id })).toEqual({ stored: false });
      expect(env.twilioFake.recordings.has(delivered.recordingSid)).toBe(false);
      expect(await readCallRecording(r, { tenantId: tenant.tenantId, callId })).not.toBeNull();
    } finally {
      env.s3Fake.unavailable = false;
    }
  }, 60_000);

  it("are not made for agents that do not record; forged or malformed callbacks change nothing", async () => {
    const { account, call } = await recordedCall("925", { record: false });
    expect(call.twiml).not.toContain("<Recording");
    const [first] = await ownerQuery<{ text: string }>(
      ownerUrl(),
      "select t.text from call_turns t join calls c on c.id = t.call_id where c.provider_call_sid = $1 and t.speaker = 'agent' order by t.seq limit 1",
      [call.callSid],
    );
    expect(first!.text).toBe("Hello, thanks for calling Acme.");

    const url = `${env.stack.edgeUrl}twilio/recording`;
    const fake = {
      sid: `RE${"ab".repeat(16)}`,
      account_sid: account,
      call_sid: call.callSid,
      channels: 2,
      duration: 3,
      wav: Buffer.alloc(0),
      callback: url,
    };
    const forged = await fetch(url, {
      method: "POST",
      headers: { "x-twilio-signature": "bm90IGEgc2lnbmF0dXJl" },
      body: new URLSearchParams({
        AccountSid: account,
        CallSid: call.callSid,
        RecordingSid: fake.sid,
        RecordingUrl: "http://169.254.169.254/latest",
        RecordingStatus: "completed",
      }),
    });
    expect(forged.status).toBe(403);
    expect(await env.twilioFake.postRecordingStatus({ ...fake, call_sid: "not-a-call-sid" }, "completed")).toBe(400);
    expect(await recordingOf(call.callSid)).toEqual([]);
    // Twilio could not record (absent): filed as such, no copy job.
    expect(await env.twilioFake.postRecordingStatus(fake, "absent")).toBe(204);
    expect(await recordingOf(call.callSid)).toMatchObject([{ status: "absent" }]);
    expect(
      await ownerQuery(
        ownerUrl(),
        "select id from pgboss.job where name = 'recording.store' and data->>'recordingId' = $1",
        [(await recordingOf(call.callSid))[0]!.id],
      ),
    ).toEqual([]);
  }, 60_000);

  it("serve a range by decrypting only its chunks; a changed or swapped chunk fails; old whole-sealed files play and are re-sealed", async () => {
    const t = await seedTenant(ownerUrl());
    // The cipher, instrumented: how many plaintext bytes were decrypted.
    let opened = 0;
    const count = <T extends Uint8Array>(plain: T) => {
      opened += plain.length;
      return plain;
    };
    const pii = env.t.pii;
    const counting: typeof pii = {
      ...pii,
      chunkOpener: async (layout, field) => {
        const o = await pii.chunkOpener(layout, field);
        return { open: async (i, sealed) => count(await o.open(i, sealed)) };
      },
      decryptBlob: async (b, f) => count(await pii.decryptBlob(b, f)),
    };
    const api = createApi({ ...testApiServices(env.t), pii: counting, recordings: r.store });
    const key = await createApiKey(env.t.db, {
      tenantId: t.tenantId,
      name: "player",
      scopes: ["calls:read"] as ApiScope[],
      actor,
    });
    const get = async (callId: string, range?: string) =>
      api.request(`/calls/${callId}/recording`, {
        headers: { authorization: `Bearer ${key.key}`, ...(range ? { range } : {}) },
      });
    async function storedCall(wav: Uint8Array, sealWhole = false) {
      const call = await routeInboundCall(env.t.db, env.t.pii, {
        to: t.number,
        from: "+14155550161",
        providerCallSid: `CA${crypto.randomUUID().replace(/-/g, "")}`,
        signer: "platform",
      });
      if (call.kind !== "connect") throw new Error(`the call was not routed: ${call.kind}`);
      const { callId } = call;
      const [rec] = await ownerQuery<{ id: string }>(
        ownerUrl(),
        "insert into recordings (tenant_id, call_id, provider_recording_sid, provider_media_url, status, stored_at, bytes, content_type) values ($1, $2, $3, 'https://api.twilio.com/x', 'stored', now(), $4, 'audio/wav') returning id",
        [t.tenantId, callId, `RE${crypto.randomUUID().replace(/-/g, "")}`, wav.length],
      );
      const where = { tenantId: t.tenantId, callId, id: rec!.id };
      let storageKey: string;
      if (sealWhole) {
        storageKey = `tenants/${t.tenantId}/calls/${callId}/${rec!.id}.wav.enc`;
        await r.store.put(
          storageKey,
          await pii.encryptBlob(new Uint8Array(wav), recordingBlob(t.tenantId, rec!.id)),
          "application/octet-stream",
        );
      } else storageKey = await putRecording(r, where, wav);
      await ownerQuery(ownerUrl(), "update recordings set storage_key = $2 where id = $1", [rec!.id, storageKey]);
      return { callId, recordingId: rec!.id, storageKey };
    }
    // Five minutes of two-channel audio (9.6 MB), every byte distinct enough to catch a misplaced chunk.
    const wav = new Uint8Array(5 * 60 * 32_000 + 44).map((_, i) => (i * 7 + (i >> 16)) & 255);
    const big = await storedCall(wav);

    const servedBefore = env.s3Fake.served.filter((x) => x.key === big.storageKey).length;
    const tail = await get(big.callId, "bytes=-100");
    expect(tail.status).toBe(206);
    expect(tail.headers.get("content-range")).toBe(`bytes ${wav.length - 100}-${wav.length - 1}/${wav.length}`);
    expect(Buffer.from(await tail.arrayBuffer()).equals(Buffer.from(wav.subarray(-100)))).toBe(true);
    expect(opened).toBeLessThanOrEqual(CHUNK_SIZE);
    const fetched = env.s3Fake.served.filter((x) => x.key === big.storageKey).slice(servedBefore);
    expect(fetched.reduce((n, x) => n + x.bytes, 0)).toBeLessThanOrEqual(2 * CHUNK_SIZE);

    opened = 0;
    const middle = await get(big.callId, "bytes=4000000-4200000");
    expect(Buffer.from(await middle.arrayBuffer()).equals(Buffer.from(wav.subarray(4_000_000, 4_200_001)))).toBe(true);
    expect(opened).toBeLessThanOrEqual(200_001 + 2 * CHUNK_SIZE);
    const whole = await get(big.callId);
    expect(whole.status).toBe(200);
    expect(Buffer.from(await whole.arrayBuffer()).equals(Buffer.from(wav))).toBe(true);
    expect((await get(big.callId, `bytes=${wav.length}-`)).status).toBe(416);

    // A byte changed in the last chunk, or the last chunk of another recording in its place: the range fails.
    const stored = env.s3Fake.objects.get(big.storageKey)!;
    const original = Buffer.from(stored.body);
    stored.body[stored.body.length - 50]! ^= 1;
    await expect(get(big.callId, "bytes=-100").then((res) => res.arrayBuffer())).rejects.toThrow();
    const other = await storedCall(wav);
    const otherBody = env.s3Fake.objects.get(other.storageKey)!.body;
    const lastChunk = otherBody.length - ((wav.length % CHUNK_SIZE) + 16);
    stored.body = Buffer.concat([original.subarray(0, lastChunk), otherBody.subarray(lastChunk)]);
    await expect(get(big.callId, "bytes=-100").then((res) => res.arrayBuffer())).rejects.toThrow();
    stored.body = original;
    expect((await get(big.callId, "bytes=-100")).status).toBe(206);

    // Sealed whole, as before chunks: still plays (decrypted whole), then the sweep re-seals it in chunks.
    const old = await storedCall(wav.subarray(0, 300_000), true);
    opened = 0;
    const oldTail = await get(old.callId, "bytes=-10");
    expect(Buffer.from(await oldTail.arrayBuffer()).equals(Buffer.from(wav.subarray(299_990, 300_000)))).toBe(true);
    expect(opened).toBe(300_000);
    expect(await resealWholeRecordings(r, () => {})).toBeGreaterThanOrEqual(1);
    expect(env.s3Fake.objects.has(old.storageKey)).toBe(false);
    opened = 0;
    const resealed = await get(old.callId, "bytes=-10");
    expect(Buffer.from(await resealed.arrayBuffer()).equals(Buffer.from(wav.subarray(299_990, 300_000)))).toBe(true);
    expect(opened).toBeLessThanOrEqual(CHUNK_SIZE);
  }, 60_000);
});
