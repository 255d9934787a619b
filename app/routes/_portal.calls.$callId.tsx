import { type ActionFunctionArgs, type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { CallAnalysis } from "~/components/call-analysis";
import { LatencyBar, LatencyLegend } from "~/components/latency-bar";
import { LiveCall } from "~/components/live-call";
import { requirePermission } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import { readForm } from "~/utils/form-body.server";
import { formatDuration } from "~/utils/format";
import { requireIdParam } from "~/utils/params.server";
import { can } from "~/utils/permissions";
import { pii } from "~/utils/pii.server";
import type { AnsweredBy } from "../../core/answered-by";
import { formatMicros } from "../../core/money";
import { getCall } from "../../db/queries/calls";
import { requestCallEnd } from "../../db/queries/live-calls";
import { recordingOfCall, recordingRetention } from "../../db/queries/recordings";
import { createRun } from "../../db/queries/test-suites";

const notFound = () => new Response("Call not found", { status: 404 });

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { tenantId, role } = await requirePermission(request, "call:read");
  const call = await getCall(db(), pii(), { id: requireIdParam(params, "callId", notFound), tenantId });
  if (!call) throw notFound();
  const [rec, keepDays] = await Promise.all([
    recordingOfCall(db(), { tenantId, callId: call.id }),
    recordingRetention(db(), { tenantId }),
  ]);
  return {
    canEnd: can(role, "call:end"),
    canReplay: can(role, "agent:write") && call.turns.some((t) => t.speaker === "caller") && Boolean(call.agentId),
    recording: rec && {
      status: rec.status,
      durationSeconds: rec.durationSeconds,
      error: rec.error,
      keptUntil: rec.storedAt
        ? new Date(rec.storedAt.getTime() + keepDays * 86_400_000).toISOString().slice(0, 10)
        : null,
    },
    call: {
      id: call.id,
      agentId: call.agentId,
      agentName: call.agentName,
      agentVersion: call.agentVersion,
      status: call.status,
      direction: call.direction,
      fromNumber: call.fromNumber,
      origin: call.origin,
      toNumber: call.toNumber,
      durationSeconds: call.durationSeconds,
      cost: call.costMicros == null ? null : formatMicros(call.costMicros),
      // Twilio writes a charge as a negative price; shown as what it cost.
      twilioCharge:
        call.providerPriceMicros == null
          ? null
          : formatMicros(-call.providerPriceMicros, (call.providerPriceUnit ?? "usd").toLowerCase()),
      endReason: call.endReason,
      answeredBy: call.answeredBy,
      createdAt: call.createdAt.toISOString(),
    },
    turns: call.turns.map((t) => ({
      seq: t.seq,
      speaker: t.speaker,
      text: t.text,
      offsetMs: t.offsetMs,
      interrupted: t.interrupted,
      latencyMs: t.latencyMs,
      latency: t.latency,
    })),
    events: call.events.map((e) => ({
      id: e.id,
      type: e.type,
      at: e.createdAt.toISOString(),
      detail: eventDetail(e.type, e.payload),
    })),
    analysis: call.analysis && { ...call.analysis, completedAt: call.analysis.completedAt.toISOString() },
  };
}

/** What the events list says besides the type: which knowledge passages reached the model. */
const eventDetail = (type: string, payload: unknown) => {
  if (type === "call.first_audio") {
    const first = payload as { ms?: number; cached?: boolean };
    return `${first.ms} ms after the stream started${first.cached ? ", the greeting said from memory" : ""}`;
  }
  const chunks = type === "knowledge.used" ? (payload as { chunks?: { document: string }[] }).chunks : undefined;
  return chunks ? `passages from ${[...new Set(chunks.map((c) => c.document))].join(", ")}` : null;
};

/** An admin ends a live call: the relay carrying it hangs up. */
export async function action({ request, params }: ActionFunctionArgs) {
  const form = await readForm(request);
  const callId = requireIdParam(params, "callId", notFound);
  if (form.get("intent") === "replay") {
    const { tenantId } = await requirePermission(request, "agent:write");
    const call = await getCall(db(), pii(), { id: callId, tenantId });
    if (!call) throw notFound();
    const version = Number(form.get("version")) || undefined;
    const run = call.agentId
      ? await createRun(db(), { tenantId, agentId: call.agentId, replayOfCallId: call.id, version })
      : null;
    if (!run) return { ended: false, message: "That version of the agent does not exist." };
    return redirect(`/runs/${run.id}`);
  }
  const { tenantId, actor } = await requirePermission(request, "call:end");
  if (!(await getCall(db(), pii(), { id: callId, tenantId }))) throw notFound();
  if (form.get("intent") !== "end") return new Response("Unknown action", { status: 400 });
  const requested = await requestCallEnd(db(), { tenantId, callId, actor });
  return { ended: requested, message: requested ? "Ending the call…" : "The call had already ended." };
}

const answeredByWords: Record<AnsweredBy, string> = {
  human: "a person",
  voicemail: "voicemail (an answering machine)",
  screening: "a call-screening assistant",
  fax: "a fax machine",
  unknown: "could not tell (detection was unsure)",
};

export default function CallDetail() {
  const { call, turns, events, recording, analysis, canEnd, canReplay } = useLoaderData<typeof loader>();
  const live = call.status === "ringing" || call.status === "in_progress";
  return (
    <>
      <h1>Call</h1>
      <dl className="card">
        <dt>Agent</dt>
        <dd>
          {call.agentName ?? "deleted agent"}
          {call.agentVersion && call.agentId && (
            <>
              {" "}
              (<a href={`/agents/${call.agentId}/versions?to=${call.agentVersion}`}>version {call.agentVersion}</a>)
            </>
          )}
        </dd>
        {call.direction === "web" ? (
          <>
            <dt>Channel</dt>
            <dd>Web call from {call.origin}</dd>
          </>
        ) : (
          <>
            <dt>From → To</dt>
            <dd>
              {call.fromNumber} → {call.toNumber}
            </dd>
          </>
        )}
        <dt>Status</dt>
        <dd>
          {call.status}
          {call.endReason ? ` (${call.endReason})` : ""}
        </dd>
        {call.answeredBy && (
          <>
            <dt>Answered by</dt>
            <dd data-testid="call-answered-by">{answeredByWords[call.answeredBy]}</dd>
          </>
        )}
        <dt>Duration</dt>
        <dd data-testid="call-duration">{formatDuration(call.durationSeconds)}</dd>
        <dt>Cost</dt>
        <dd>{call.cost ?? "—"}</dd>
        {call.twilioCharge && (
          <>
            <dt>Twilio charge</dt>
            <dd data-testid="twilio-charge">{call.twilioCharge}</dd>
          </>
        )}
      </dl>
      {live && <LiveCall callId={call.id} canEnd={canEnd} />}
      <CallAnalysis analysis={analysis} ended={call.status === "completed" || call.status === "failed"} />
      {recording && (
        <section className="card" aria-label="Recording">
          <h2>Recording</h2>
          {recording.status === "stored" && (
            <>
              {/* biome-ignore lint/a11y/useMediaCaption: a phone call has no captions; its transcript is below. */}
              <audio controls preload="metadata" src={`/calls/${call.id}/recording`} data-testid="recording-player" />
              <p className="muted">
                {formatDuration(recording.durationSeconds)} · kept until {recording.keptUntil} ·{" "}
                <a href={`/calls/${call.id}/recording`} download>
                  Download
                </a>
              </p>
            </>
          )}
          {recording.status === "pending" && (
            <p role="status">Processing: the recording is being copied from the phone network.</p>
          )}
          {recording.status === "expired" && <p className="muted">Deleted by your retention policy.</p>}
          {recording.status === "absent" && (
            <p className="muted">The phone network did not produce a recording for this call.</p>
          )}
          {recording.status === "failed" && <p className="error">Not available: {recording.error}</p>}
        </section>
      )}
      <h2>Transcript</h2>
      {canReplay && !live && (
        <Form method="post" className="filters">
          <input type="hidden" name="intent" value="replay" />
          <label htmlFor="replay-version">Replay the caller's words against agent version</label>
          <input id="replay-version" name="version" type="number" min={1} placeholder="current" />
          <button type="submit">Replay</button>
        </Form>
      )}
      {turns.some((t) => t.latency) && <LatencyLegend />}
      <ol className="card">
        {turns.map((t) => (
          <li key={t.seq} data-testid={`turn-${t.seq}`}>
            <strong>{t.speaker}</strong> <span className="muted">+{(t.offsetMs / 1000).toFixed(1)}s</span> {t.text}
            {t.interrupted && <em className="muted"> (interrupted)</em>}
            {t.latency && t.latencyMs != null && <LatencyBar latency={t.latency} totalMs={t.latencyMs} />}
          </li>
        ))}
      </ol>
      <h2>Events</h2>
      <ul className="card">
        {events.map((e) => (
          <li key={e.id}>
            {e.type}
            {e.detail ? `: ${e.detail}` : ""} <span className="muted">{e.at}</span>
          </li>
        ))}
      </ul>
    </>
  );
}
