import { and, asc, eq, isNull } from "drizzle-orm";
import type { AnsweredBy, ScreeningAction } from "../../core/answered-by";
import { limitMessage } from "../../core/billing/plans";
import { normalizePhone, type PiiCipher } from "../../core/crypto/pii";
import { piiField } from "../pii-columns";
import { agents, callEvents, calls, campaignRows, doNotCall, phoneNumbers } from "../schema";
import { type Db, type Tx, withTenant } from "../tenant";
import { callStanding, liveCallRoom } from "./standing";

type Owner = { tenantId: string };
const dncIndex = (pii: PiiCipher, tenantId: string, e164: string) =>
  pii.blindIndex(normalizePhone(e164), piiField(tenantId, "do_not_call", "number"));

async function onDoNotCall(tx: Tx, pii: PiiCipher, tenantId: string, e164: string) {
  const [hit] = await tx
    .select({ id: doNotCall.id })
    .from(doNotCall)
    .where(and(eq(doNotCall.tenantId, tenantId), eq(doNotCall.numberIndex, await dncIndex(pii, tenantId, e164))));
  return Boolean(hit);
}

export const isDoNotCall = (db: Db, pii: PiiCipher, { tenantId, e164 }: Owner & { e164: string }) =>
  withTenant(db, tenantId, (tx) => onDoNotCall(tx, pii, tenantId, e164));

export function addDoNotCall(db: Db, pii: PiiCipher, { tenantId, e164 }: Owner & { e164: string }) {
  return withTenant(db, tenantId, async (tx) => {
    const number = await pii.encrypt(e164, piiField(tenantId, "do_not_call", "number"));
    await tx
      .insert(doNotCall)
      .values({ tenantId, number, numberIndex: await dncIndex(pii, tenantId, e164) })
      .onConflictDoNothing();
  });
}

export function removeDoNotCall(db: Db, { tenantId, id }: Owner & { id: string }) {
  return withTenant(db, tenantId, (tx) =>
    tx
      .delete(doNotCall)
      .where(and(eq(doNotCall.id, id), eq(doNotCall.tenantId, tenantId)))
      .returning({ id: doNotCall.id }),
  );
}

export async function listDoNotCall(db: Db, pii: PiiCipher, { tenantId }: Owner) {
  const rows = await withTenant(db, tenantId, (tx) =>
    tx.select().from(doNotCall).where(eq(doNotCall.tenantId, tenantId)).orderBy(asc(doNotCall.createdAt)),
  );
  return Promise.all(
    rows.map(async (r) => ({
      id: r.id,
      e164: await pii.decrypt(r.number, piiField(tenantId, "do_not_call", "number")),
    })),
  );
}

export type OutboundRequest = Owner & {
  agentId: string;
  fromNumberId: string;
  to: string;
  variables: Record<string, string>;
  machineDetection: "off" | "hangup" | "leave_message";
  voicemailMessage: string | null;
  /** When a call-screening assistant answers (absent: state the purpose, in the agent's first message). */
  screeningAction?: ScreeningAction;
  screeningMessage?: string | null;
  /** A campaign's row this call dials; linked in the same transaction, so a placed call is never lost track of. */
  campaignRowId?: string;
};
export type OutboundStart =
  | { kind: "created"; callId: string; from: string; twilioAccountId: string | null }
  | { kind: "do_not_call" }
  | { kind: "no_number" }
  | { kind: "no_agent" }
  | { kind: "refused"; reason: "payment_failed" | "trial_used" }
  | { kind: "busy"; message: string };

/** Records an outbound call about to be dialled: from one of the tenant's numbers, with one of its agents, never to a do-not-call number. */
export function createOutboundCall(db: Db, pii: PiiCipher, r: OutboundRequest) {
  return withTenant(db, r.tenantId, async (tx): Promise<OutboundStart> => {
    const [from] = await tx
      .select()
      .from(phoneNumbers)
      .where(and(eq(phoneNumbers.id, r.fromNumberId), eq(phoneNumbers.tenantId, r.tenantId)));
    if (!from) return { kind: "no_number" };
    const [agent] = await tx
      .select({ id: agents.id })
      .from(agents)
      .where(and(eq(agents.id, r.agentId), eq(agents.tenantId, r.tenantId), isNull(agents.deletedAt)));
    if (!agent) return { kind: "no_agent" };
    if (await onDoNotCall(tx, pii, r.tenantId, r.to)) return { kind: "do_not_call" };
    const standing = await callStanding(tx, r.tenantId);
    if (!standing.ok) return { kind: "refused", reason: standing.reason };
    // A campaign's claim already counted its calls against the plan; a single call checks here.
    if (!r.campaignRowId) {
      const { room, plan } = await liveCallRoom(tx, r.tenantId);
      if (room <= 0) return { kind: "busy", message: limitMessage(plan, "concurrentCalls", "calls at once") };
    }
    const [call] = await tx
      .insert(calls)
      .values({
        tenantId: r.tenantId,
        agentId: agent.id,
        phoneNumberId: from.id,
        direction: "outbound",
        fromNumber: await pii.encrypt(from.e164, piiField(r.tenantId, "calls", "from_number")),
        fromNumberIndex: await pii.blindIndex(normalizePhone(from.e164), piiField(r.tenantId, "calls", "from_number")),
        toNumber: await pii.encrypt(r.to, piiField(r.tenantId, "calls", "to_number")),
        variables: r.variables,
        campaignRowId: r.campaignRowId ?? null,
        machineDetection: r.machineDetection,
        voicemailMessage: r.voicemailMessage,
        screeningAction: r.screeningAction ?? "state_purpose",
        screeningMessage: r.screeningMessage ?? null,
      })
      .returning({ id: calls.id });
    await tx.insert(callEvents).values({ tenantId: r.tenantId, callId: call!.id, type: "call.dialling" });
    if (r.campaignRowId)
      await tx
        .update(campaignRows)
        .set({ lastCallId: call!.id })
        .where(and(eq(campaignRows.id, r.campaignRowId), eq(campaignRows.tenantId, r.tenantId)));
    return { kind: "created", callId: call!.id, from: from.e164, twilioAccountId: from.twilioAccountId };
  });
}

export function setProviderCallSid(db: Db, { tenantId, callId, callSid }: Owner & { callId: string; callSid: string }) {
  return withTenant(db, tenantId, (tx) =>
    tx
      .update(calls)
      .set({ providerCallSid: callSid })
      .where(and(eq(calls.id, callId), eq(calls.tenantId, tenantId))),
  );
}

/** Twilio could not even place the call: it ends here, with the reason. */
export function failOutboundCall(db: Db, { tenantId, callId, reason }: Owner & { callId: string; reason: string }) {
  return withTenant(db, tenantId, async (tx) => {
    await tx
      .update(calls)
      .set({ status: "failed", endReason: reason, durationSeconds: 0 })
      .where(and(eq(calls.id, callId), eq(calls.tenantId, tenantId)));
    await tx.insert(callEvents).values({ tenantId, callId, type: "call.failed", payload: { reason } });
  });
}

/** What the edge needs when Twilio asks what to do with an answered outbound call. */
export async function outboundCallForAnswer(db: Db, { tenantId, callId }: Owner & { callId: string }) {
  const [call] = await withTenant(db, tenantId, (tx) =>
    tx
      .select({
        id: calls.id,
        agentId: calls.agentId,
        status: calls.status,
        machineDetection: calls.machineDetection,
        voicemailMessage: calls.voicemailMessage,
        recordCalls: agents.recordCalls,
      })
      .from(calls)
      .leftJoin(agents, and(eq(agents.id, calls.agentId), eq(agents.tenantId, calls.tenantId)))
      .where(and(eq(calls.id, callId), eq(calls.tenantId, tenantId), eq(calls.direction, "outbound"))),
  );
  return call ?? null;
}

/**
 * How Twilio's answering machine detection found the callee (docs/decisions/0045), written once:
 * only a ringing outbound call of this tenant, whose answer is not yet known, takes it. The raw
 * AnsweredBy goes in the call's events.
 */
export function recordAnsweredBy(
  db: Db,
  { tenantId, callId, answeredBy, twilio }: Owner & { callId: string; answeredBy: AnsweredBy; twilio: string },
) {
  return withTenant(db, tenantId, async (tx) => {
    const [call] = await tx
      .update(calls)
      .set({ answeredBy })
      .where(
        and(
          eq(calls.id, callId),
          eq(calls.tenantId, tenantId),
          eq(calls.direction, "outbound"),
          eq(calls.status, "ringing"),
          isNull(calls.answeredBy),
        ),
      )
      .returning({ id: calls.id });
    if (call)
      await tx
        .insert(callEvents)
        .values({ tenantId, callId, type: "call.answered_by", payload: { answeredBy, twilio: twilio.slice(0, 40) } });
    return Boolean(call);
  });
}
