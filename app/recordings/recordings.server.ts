import { agentLimits } from "../../core/agents/agent-input";
import { boundedFetch } from "../../core/net/bounded-fetch";
import { callAtTwilio } from "../../db/queries/call-status";
import { getTwilioAccount } from "../../db/queries/phone-numbers";
import {
  expiredRecordings,
  getRecording,
  markProviderCopyDeleted,
  markRecordingExpired,
  markRecordingFailed,
  markRecordingStored,
  moveRecordingObject,
  type RecordingJob,
  wholeSealedRecordings,
} from "../../db/queries/recordings";
import { listTenantIds } from "../../db/queries/tenants";
import { clientFor, type Telephony } from "../telephony/numbers.server";
import type { ObjectStore } from "./object-store.server";

export type Recordings = Telephony & { store: ObjectStore };
export const recordingBlob = (tenantId: string, rowId: string) => ({
  tenantId,
  table: "recordings",
  column: "audio",
  rowId,
});
/** `.wav.pic`: sealed in chunks (core/crypto/chunked); `.wav.enc` was one AES-GCM blob (before 0027). */
const storageKey = (r: { tenantId: string; callId: string; id: string }) =>
  `tenants/${r.tenantId}/calls/${r.callId}/${r.id}.wav.pic`;

/**
 * What Twilio's file may weigh: its 16-bit channels for the duration the callback gave, at up to
 * 16 kHz (twice what Twilio records) plus a minute; without a duration, the longest call an agent may be set to (core/agents/agent-input).
 * The deadline allows 1 MB/s, and ends before the job's 300 s expiry.
 */
export function downloadLimits(rec: { durationSeconds: number | null; channels: number | null }) {
  const maxBytes =
    1_000_000 + ((rec.durationSeconds ?? agentLimits.maxDurationSeconds.max) + 60) * (rec.channels ?? 2) * 32_000;
  return { maxBytes, deadlineMs: Math.min(240_000, 30_000 + Math.ceil(maxBytes / 1000)) };
}

/** A retry will not help (the file is not audio, the account is gone): the recording is marked failed. */
export class RecordingUnusable extends Error {
  override name = "RecordingUnusable";
}

/**
 * The `recording.store` job: Twilio's file, fetched with the owning account's key, encrypted and
 * put in our store, then Twilio's copy deleted. Each step is safe to repeat, so a retry after a
 * crash anywhere finishes the work without a second copy.
 */
export async function storeRecording(r: Recordings, job: RecordingJob) {
  const rec = await getRecording(r.db, { tenantId: job.tenantId, id: job.recordingId });
  if (!rec || (rec.status !== "pending" && !(rec.status === "stored" && !rec.providerDeletedAt)))
    return { stored: false };
  const where = await callAtTwilio(r.db, { tenantId: rec.tenantId, callId: rec.callId });
  const account = where && (await getTwilioAccount(r.db, r.pii, { tenantId: rec.tenantId, id: where.twilioAccountId }));
  if (!account || (account.kind === "subaccount" && !r.main)) {
    await markRecordingFailed(r.db, {
      tenantId: rec.tenantId,
      id: rec.id,
      error: "The Twilio account of this call is no longer connected.",
    });
    return { stored: false };
  }
  const client = clientFor(r, account);
  if (rec.status === "pending") {
    // Built from our own account SID and the RecordingSid, never from the callback's URL, so a
    // forged callback cannot point this request (and its credentials) anywhere else.
    const media = `${client.api.baseUrl}/2010-04-01/Accounts/${account.accountSid}/Recordings/${rec.providerRecordingSid}.wav`;
    // Redirects followed (Twilio may answer media with one to a signed URL; fetch drops the
    // credentials on a cross-origin hop), all within the one deadline.
    const auth = { authorization: `Basic ${btoa(`${client.username}:${client.password}`)}` };
    const res = await boundedFetch(
      media,
      { headers: auth, redirect: "follow" },
      { ...downloadLimits(rec), overflow: "fail" },
    );
    if (res.status !== 200) throw new Error(`Twilio answered ${res.status} for recording ${rec.providerRecordingSid}`);
    const audio = res.body;
    if (!isWav(audio)) {
      await markRecordingFailed(r.db, {
        tenantId: rec.tenantId,
        id: rec.id,
        error: "Twilio's file is not a WAV recording.",
      });
      return { stored: false };
    }
    const key = await putRecording(r, rec, audio);
    await markRecordingStored(r.db, {
      tenantId: rec.tenantId,
      id: rec.id,
      storageKey: key,
      bytes: audio.length,
      contentType: "audio/wav",
    });
  }
  await client
    .recordings(rec.providerRecordingSid)
    .remove()
    .catch((err: { status?: number }) => {
      if (err.status !== 404) throw err; // already gone: a retry after the delete went through
    });
  await markProviderCopyDeleted(r.db, { tenantId: rec.tenantId, id: rec.id });
  return { stored: true };
}

/** Seals a recording's audio to its row, in chunks, and puts it in the store; returns its key. */
export async function putRecording(
  r: Pick<Recordings, "pii" | "store">,
  rec: { tenantId: string; callId: string; id: string },
  audio: Uint8Array,
) {
  const key = storageKey(rec);
  await r.store.put(
    key,
    await r.pii.sealChunked(audio, recordingBlob(rec.tenantId, rec.id)),
    "application/octet-stream",
  );
  return key;
}

const isWav = (b: Uint8Array) =>
  b.length > 44 &&
  String.fromCharCode(...b.subarray(0, 4)) === "RIFF" &&
  String.fromCharCode(...b.subarray(8, 12)) === "WAVE";

/** Deletes our copies past each tenant's retention; the row stays, marked expired, for the call's history. */
export async function sweepRecordings(
  r: Pick<Recordings, "db" | "store">,
  log: (fields: Record<string, unknown>) => void,
) {
  let expired = 0;
  for (const tenantId of await listTenantIds(r.db)) {
    for (const rec of await expiredRecordings(r.db, { tenantId, limit: 500 })) {
      if (rec.storageKey) await r.store.delete(rec.storageKey);
      if (await markRecordingExpired(r.db, { tenantId, id: rec.id, callId: rec.callId })) expired++;
    }
  }
  if (expired) log({ msg: "recordings expired", expired });
  return expired;
}

/**
 * Re-seals in chunks, a few per pass, the recordings stored whole before chunked sealing, so
 * every range request ends up decrypting only its chunks. The new copy is put first, then the
 * row points at it, then the old copy goes: a crash anywhere leaves a playable recording.
 */
export async function resealWholeRecordings(
  r: Pick<Recordings, "db" | "pii" | "store">,
  log: (fields: Record<string, unknown>) => void,
  limit = 20,
) {
  let resealed = 0;
  for (const tenantId of await listTenantIds(r.db)) {
    for (const rec of await wholeSealedRecordings(r.db, { tenantId, limit: limit - resealed })) {
      const sealed = rec.storageKey && (await r.store.get(rec.storageKey));
      if (!sealed || !rec.storageKey) continue;
      const key = await putRecording(r, rec, await r.pii.decryptBlob(sealed, recordingBlob(tenantId, rec.id)));
      if (await moveRecordingObject(r.db, { tenantId, id: rec.id, from: rec.storageKey, to: key })) {
        await r.store.delete(rec.storageKey);
        resealed++;
      } else await r.store.delete(key);
    }
    if (resealed >= limit) break;
  }
  if (resealed) log({ msg: "recordings re-sealed in chunks", resealed });
  return resealed;
}
