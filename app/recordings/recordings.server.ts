import { callAtTwilio } from "../../db/queries/call-status";
import { getTwilioAccount } from "../../db/queries/phone-numbers";
import { expiredRecordings, getRecording, markProviderCopyDeleted, markRecordingExpired, markRecordingFailed, markRecordingStored, recordingOfCall, type RecordingJob } from "../../db/queries/recordings";
import { listTenantIds } from "../../db/queries/tenants";
import { clientFor, type Telephony } from "../telephony/numbers.server";
import type { ObjectStore } from "./object-store.server";

export type Recordings = Telephony & { store: ObjectStore };
const blob = (tenantId: string, rowId: string) => ({ tenantId, table: "recordings", column: "audio", rowId });
const storageKey = (r: { tenantId: string; callId: string; id: string }) => `tenants/${r.tenantId}/calls/${r.callId}/${r.id}.wav.enc`;

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
  if (!rec || (rec.status !== "pending" && !(rec.status === "stored" && !rec.providerDeletedAt))) return { stored: false };
  const where = await callAtTwilio(r.db, { tenantId: rec.tenantId, callId: rec.callId });
  const account = where && (await getTwilioAccount(r.db, r.pii, { tenantId: rec.tenantId, id: where.twilioAccountId }));
  if (!account || (account.kind === "subaccount" && !r.main)) {
    await markRecordingFailed(r.db, { tenantId: rec.tenantId, id: rec.id, error: "The Twilio account of this call is no longer connected." });
    return { stored: false };
  }
  const client = clientFor(r, account);
  if (rec.status === "pending") {
    // Built from our own account SID and the RecordingSid, never from the callback's URL, so a
    // forged callback cannot point this request (and its credentials) anywhere else.
    const media = `${client.api.baseUrl}/2010-04-01/Accounts/${account.accountSid}/Recordings/${rec.providerRecordingSid}.wav`;
    const res = await fetch(media, { headers: { authorization: `Basic ${btoa(`${client.username}:${client.password}`)}` } });
    if (!res.ok) throw new Error(`Twilio answered ${res.status} for recording ${rec.providerRecordingSid}`);
    const audio = new Uint8Array(await res.arrayBuffer());
    if (!isWav(audio)) {
      await markRecordingFailed(r.db, { tenantId: rec.tenantId, id: rec.id, error: "Twilio's file is not a WAV recording." });
      return { stored: false };
    }
    const key = await putRecording(r, rec, audio);
    await markRecordingStored(r.db, { tenantId: rec.tenantId, id: rec.id, storageKey: key, bytes: audio.length, contentType: "audio/wav" });
  }
  await client.recordings(rec.providerRecordingSid).remove().catch((err: { status?: number }) => {
    if (err.status !== 404) throw err; // already gone: a retry after the delete went through
  });
  await markProviderCopyDeleted(r.db, { tenantId: rec.tenantId, id: rec.id });
  return { stored: true };
}

/** Seals a recording's audio to its row and puts it in the store; returns its key. */
export async function putRecording(r: Pick<Recordings, "pii" | "store">, rec: { tenantId: string; callId: string; id: string }, audio: Uint8Array<ArrayBuffer>) {
  const key = storageKey(rec);
  await r.store.put(key, await r.pii.encryptBlob(audio, blob(rec.tenantId, rec.id)), "application/octet-stream");
  return key;
}

const isWav = (b: Uint8Array) => b.length > 44 && String.fromCharCode(...b.subarray(0, 4)) === "RIFF" && String.fromCharCode(...b.subarray(8, 12)) === "WAVE";

/** The call's recording, decrypted, for the portal's player; null when there is none to play. */
export async function readCallRecording(r: Pick<Recordings, "db" | "pii" | "store">, { tenantId, callId }: { tenantId: string; callId: string }) {
  const rec = await recordingOfCall(r.db, { tenantId, callId });
  if (rec?.status !== "stored" || !rec.storageKey) return null;
  const sealed = await r.store.get(rec.storageKey);
  if (!sealed) return null;
  return { audio: await r.pii.decryptBlob(sealed, blob(tenantId, rec.id)), contentType: rec.contentType ?? "audio/wav" };
}

/** Deletes our copies past each tenant's retention; the row stays, marked expired, for the call's history. */
export async function sweepRecordings(r: Pick<Recordings, "db" | "store">, log: (fields: Record<string, unknown>) => void) {
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
