import { and, eq, inArray, isNull, or, sql } from "drizzle-orm";
import { channels, notify } from "../live-signals";
import { follow } from "../pipeline";
import { agents, callEvents, calls, callTurns } from "../schema";
import { type Db, withTenant } from "../tenant";
import type { TurnRecord } from "./call-records";
import { queueWebhookEvent } from "./webhook-events";

type Owner = { tenantId: string; callId: string };

/**
 * Marks a ringing call as answered and returns its agent. A second stream presenting the same
 * token finds the call no longer ringing and gets nothing: a stream token is single-use.
 */
export function answerCall(db: Db, { tenantId, callId, agentId }: Owner & { agentId: string }) {
  return withTenant(db, tenantId, async (tx) => {
    const [answered] = await tx
      .update(calls)
      .set({
        status: "in_progress",
        startedAt: sql`now()`,
        agentVersion: sql`(select ${agents.version} from ${agents} where ${agents.id} = ${agentId})`,
      })
      .where(and(eq(calls.id, callId), eq(calls.tenantId, tenantId), eq(calls.status, "ringing")))
      .returning({
        id: calls.id,
        variables: calls.variables,
        voicemailMessage: calls.voicemailMessage,
        direction: calls.direction,
        answeredBy: calls.answeredBy,
        screeningAction: calls.screeningAction,
        screeningMessage: calls.screeningMessage,
      });
    if (!answered) return null;
    const [agent] = await tx
      .select({
        id: agents.id,
        systemPrompt: agents.systemPrompt,
        firstMessage: agents.firstMessage,
        voice: agents.voice,
        model: agents.model,
        mode: agents.mode,
        language: agents.language,
        temperature: agents.temperature,
        interruptionSensitivity: agents.interruptionSensitivity,
        maxDurationSeconds: agents.maxDurationSeconds,
        silenceTimeoutSeconds: agents.silenceTimeoutSeconds,
        endCallPhrases: agents.endCallPhrases,
        tools: agents.tools,
        recordCalls: agents.recordCalls,
        recordingDisclosure: agents.recordingDisclosure,
        knowledgeBaseIds: agents.knowledgeBaseIds,
        retrievalMode: agents.retrievalMode,
        turnTaking: agents.turnTaking,
      })
      .from(agents)
      .where(and(eq(agents.id, agentId), eq(agents.tenantId, tenantId)));
    await tx.insert(callEvents).values({ tenantId, callId, type: "call.answered" });
    await notify(tx, channels.callLive, callId);
    await queueWebhookEvent(tx, { tenantId, type: "call.started", eventId: `call.started:${callId}`, ref: { callId } });
    return agent
      ? {
          ...agent,
          variables: answered.variables ?? {},
          voicemailMessage: answered.voicemailMessage,
          // Outbound calls listen for a call-screening assistant: Twilio's detection hears a voice and
          // may say `human` or `unknown` for one (docs/decisions/0045); a machine never gets here.
          screening:
            answered.direction === "outbound" &&
            answered.screeningAction &&
            (!answered.answeredBy || answered.answeredBy === "human" || answered.answeredBy === "unknown")
              ? { action: answered.screeningAction, message: answered.screeningMessage }
              : null,
        }
      : null;
  });
}

export function addTurn(db: Db, t: Owner & TurnRecord) {
  return withTenant(db, t.tenantId, async (tx) => {
    await notify(tx, channels.callLive, t.callId);
    await tx
      .insert(callTurns)
      .values({
        tenantId: t.tenantId,
        callId: t.callId,
        seq: t.seq,
        speaker: t.speaker,
        text: t.text,
        offsetMs: t.offsetMs,
        endOffsetMs: t.endOffsetMs,
        interrupted: t.interrupted ?? false,
        latencyMs: t.latencyMs,
        latency: t.latency,
      })
      .onConflictDoNothing(); // a retried write (the first commit's answer was lost) is already there
  });
}

export function addCallEvent(db: Db, e: Owner & { type: string; payload?: Record<string, unknown> }) {
  return withTenant(db, e.tenantId, async (tx) => {
    await notify(tx, channels.callLive, e.callId);
    await tx
      .insert(callEvents)
      .values({ tenantId: e.tenantId, callId: e.callId, type: e.type, payload: e.payload ?? {} });
  });
}

/**
 * Closes a call exactly once: only the first caller finds `ended_at` empty. Its duration, the
 * `call.ended` event and the `call.ended` job are written in the same transaction.
 */
export function closeCall(db: Db, { tenantId, callId, reason, endedAt }: Owner & { reason: string; endedAt?: Date }) {
  // The moment the call ended, as its carrier saw it: a close written late (the database was away) bills the same seconds.
  const end = endedAt ? sql`${endedAt.toISOString()}::timestamptz` : sql`now()`;
  return withTenant(db, tenantId, async (tx) => {
    const [closed] = await tx
      .update(calls)
      .set({
        status: sql`case when ${calls.startedAt} is null then 'failed' else 'completed' end`,
        endedAt: end,
        durationSeconds: sql`case when ${calls.startedAt} is null then 0
          else greatest(0, ceil(extract(epoch from ${end} - ${calls.startedAt})))::int end`,
        endReason: reason,
      })
      .where(and(eq(calls.id, callId), eq(calls.tenantId, tenantId), isNull(calls.endedAt)))
      .returning({
        id: calls.id,
        durationSeconds: calls.durationSeconds,
        status: calls.status,
        providerCallSid: calls.providerCallSid,
      });
    if (!closed) return null;
    await tx.insert(callEvents).values({ tenantId, callId, type: "call.ended", payload: { reason } });
    await notify(tx, channels.callLive, callId);
    await follow(tx, "callClosed", { tenantId, callId, providerCallSid: closed.providerCallSid });
    return closed;
  });
}

/**
 * A call-screening assistant answered this outbound call (docs/decisions/0045): the call's outcome
 * becomes `screening`, correcting a detection that took its voice for a person's (or could not
 * tell); the event names the phrase heard.
 */
export function recordScreened(db: Db, s: Owner & { phrase: string; language: string; action: string }) {
  return withTenant(db, s.tenantId, async (tx) => {
    await tx
      .update(calls)
      .set({ answeredBy: "screening" })
      .where(
        and(
          eq(calls.id, s.callId),
          eq(calls.tenantId, s.tenantId),
          or(isNull(calls.answeredBy), inArray(calls.answeredBy, ["human", "unknown"])),
        ),
      );
    await notify(tx, channels.callLive, s.callId);
    await tx.insert(callEvents).values({
      tenantId: s.tenantId,
      callId: s.callId,
      type: "call.screened",
      payload: { phrase: s.phrase, language: s.language, action: s.action },
    });
  });
}
