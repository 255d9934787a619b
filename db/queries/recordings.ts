import { and, asc, desc, eq, isNull, like, lt, sql } from "drizzle-orm";
import { follow } from "../pipeline";
import { callEvents, calls, recordings, tenants } from "../schema";
import { type Db, withTenant } from "../tenant";
import { type Actor, recordAudit } from "./audit";

type Owner = { tenantId: string };
export type RecordingJob = { tenantId: string; recordingId: string };

/**
 * Twilio says a recording of one of the tenant's calls is ready (or absent). Recorded once per
 * RecordingSid; the copy job is queued in the same transaction, so a repeated callback queues nothing.
 */
export function recordingReady(
  db: Db,
  r: Owner & {
    callSid: string;
    recordingSid: string;
    mediaUrl: string;
    status: "completed" | "absent";
    channels?: number;
    durationSeconds?: number;
  },
) {
  return withTenant(db, r.tenantId, async (tx) => {
    const [call] = await tx
      .select({ id: calls.id })
      .from(calls)
      .where(and(eq(calls.tenantId, r.tenantId), eq(calls.providerCallSid, r.callSid)));
    if (!call) return { recorded: false as const };
    const [row] = await tx
      .insert(recordings)
      .values({
        tenantId: r.tenantId,
        callId: call.id,
        providerRecordingSid: r.recordingSid,
        providerMediaUrl: r.mediaUrl,
        status: r.status === "absent" ? "absent" : "pending",
        channels: r.channels,
        durationSeconds: r.durationSeconds,
      })
      .onConflictDoNothing({ target: recordings.providerRecordingSid })
      .returning({ id: recordings.id });
    if (!row) return { recorded: false as const, callId: call.id };
    await tx.insert(callEvents).values({
      tenantId: r.tenantId,
      callId: call.id,
      type: `recording.${r.status}`,
      payload: { recordingSid: r.recordingSid, durationSeconds: r.durationSeconds ?? null },
    });
    if (r.status === "completed")
      await follow(tx, "recordingReady", { tenantId: r.tenantId, recordingId: row.id, recordingSid: r.recordingSid });
    return { recorded: true as const, callId: call.id, recordingId: row.id };
  });
}

export async function getRecording(db: Db, { tenantId, id }: Owner & { id: string }) {
  const [row] = await withTenant(db, tenantId, (tx) =>
    tx
      .select()
      .from(recordings)
      .where(and(eq(recordings.id, id), eq(recordings.tenantId, tenantId))),
  );
  return row ?? null;
}

/** The call's recording for the portal: the newest one we hold or are still fetching. */
export async function recordingOfCall(db: Db, { tenantId, callId }: Owner & { callId: string }) {
  const [row] = await withTenant(db, tenantId, (tx) =>
    tx
      .select()
      .from(recordings)
      .where(and(eq(recordings.tenantId, tenantId), eq(recordings.callId, callId)))
      .orderBy(desc(recordings.createdAt))
      .limit(1),
  );
  return row ?? null;
}

/** Our copy is in the store; it is kept for the tenant's retention, counted from now. */
export function markRecordingStored(
  db: Db,
  r: Owner & { id: string; storageKey: string; bytes: number; contentType: string },
) {
  return withTenant(db, r.tenantId, async (tx) => {
    const [row] = await tx
      .update(recordings)
      .set({
        status: "stored",
        storageKey: r.storageKey,
        bytes: r.bytes,
        contentType: r.contentType,
        storedAt: sql`now()`,
        error: null,
      })
      .where(and(eq(recordings.id, r.id), eq(recordings.tenantId, r.tenantId), eq(recordings.status, "pending")))
      .returning({ callId: recordings.callId });
    if (row)
      await tx
        .insert(callEvents)
        .values({ tenantId: r.tenantId, callId: row.callId, type: "recording.stored", payload: { bytes: r.bytes } });
    return row ?? null;
  });
}

export function markProviderCopyDeleted(db: Db, { tenantId, id }: Owner & { id: string }) {
  return withTenant(db, tenantId, (tx) =>
    tx
      .update(recordings)
      .set({ providerDeletedAt: sql`now()` })
      .where(and(eq(recordings.id, id), eq(recordings.tenantId, tenantId), isNull(recordings.providerDeletedAt))),
  );
}

/** The copy job gave up (dead letter) or the file could not be read: the portal says why. */
export function markRecordingFailed(db: Db, { tenantId, id, error }: Owner & { id: string; error: string }) {
  return withTenant(db, tenantId, (tx) =>
    tx
      .update(recordings)
      .set({ status: "failed", error: error.slice(0, 500) })
      .where(and(eq(recordings.id, id), eq(recordings.tenantId, tenantId), eq(recordings.status, "pending"))),
  );
}

/** Stored recordings older than the tenant's retention (as it is now), oldest first. */
export function expiredRecordings(db: Db, { tenantId, limit }: Owner & { limit: number }) {
  return withTenant(db, tenantId, (tx) =>
    tx
      .select({ id: recordings.id, callId: recordings.callId, storageKey: recordings.storageKey })
      .from(recordings)
      .innerJoin(tenants, eq(tenants.id, recordings.tenantId))
      .where(
        and(
          eq(recordings.tenantId, tenantId),
          eq(recordings.status, "stored"),
          lt(recordings.storedAt, sql`now() - make_interval(days => ${tenants.recordingRetentionDays})`),
        ),
      )
      .orderBy(asc(recordings.storedAt))
      .limit(limit),
  );
}

/** Stored recordings still sealed whole (`.wav.enc`, before chunked sealing), for the sweep to re-seal. */
export function wholeSealedRecordings(db: Db, { tenantId, limit }: Owner & { limit: number }) {
  return withTenant(db, tenantId, (tx) =>
    tx
      .select({
        id: recordings.id,
        tenantId: recordings.tenantId,
        callId: recordings.callId,
        storageKey: recordings.storageKey,
      })
      .from(recordings)
      .where(
        and(
          eq(recordings.tenantId, tenantId),
          eq(recordings.status, "stored"),
          like(recordings.storageKey, "%.wav.enc"),
        ),
      )
      .limit(limit),
  );
}

/** Points a stored recording at its re-sealed copy; false when it changed meanwhile (expired, moved). */
export async function moveRecordingObject(
  db: Db,
  { tenantId, id, from, to }: Owner & { id: string; from: string; to: string },
) {
  const rows = await withTenant(db, tenantId, (tx) =>
    tx
      .update(recordings)
      .set({ storageKey: to })
      .where(
        and(
          eq(recordings.id, id),
          eq(recordings.tenantId, tenantId),
          eq(recordings.status, "stored"),
          eq(recordings.storageKey, from),
        ),
      )
      .returning({ id: recordings.id }),
  );
  return rows.length > 0;
}

export function markRecordingExpired(db: Db, { tenantId, id, callId }: Owner & { id: string; callId: string }) {
  return withTenant(db, tenantId, async (tx) => {
    const [row] = await tx
      .update(recordings)
      .set({ status: "expired", deletedAt: sql`now()` })
      .where(and(eq(recordings.id, id), eq(recordings.tenantId, tenantId), eq(recordings.status, "stored")))
      .returning({ id: recordings.id });
    if (row) await tx.insert(callEvents).values({ tenantId, callId, type: "recording.expired" });
    return Boolean(row);
  });
}

export async function recordingRetention(db: Db, { tenantId }: Owner) {
  const [row] = await withTenant(db, tenantId, (tx) =>
    tx.select({ days: tenants.recordingRetentionDays }).from(tenants).where(eq(tenants.id, tenantId)),
  );
  return row?.days ?? 30;
}

export function setRecordingRetention(db: Db, { tenantId, days, actor }: Owner & { days: number; actor?: Actor }) {
  return withTenant(db, tenantId, async (tx) => {
    await tx.update(tenants).set({ recordingRetentionDays: days }).where(eq(tenants.id, tenantId));
    if (actor) await recordAudit(tx, { tenantId, actor, action: "recordings.retention_changed", metadata: { days } });
  });
}
