import { type ActionFunctionArgs, type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { CallAnalysis } from "~/components/call-analysis";
import { CallCosts } from "~/components/call-costs";
import { CallPlayer } from "~/components/call-player";
import { CallTimeline } from "~/components/call-timeline";
import { CallTranscript } from "~/components/call-transcript";
import { LatencyLegend } from "~/components/latency-bar";
import { LiveCall } from "~/components/live-call";
import { Badge } from "~/components/ui/badge";
import { Button } from "~/components/ui/button";
import { Card, PageHeader } from "~/components/ui/card";
import { usePlayback } from "~/components/use-playback";
import { requirePermission } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import { readForm } from "~/utils/form-body.server";
import { formatDateTime, formatDuration } from "~/utils/format";
import { requireIdParam } from "~/utils/params.server";
import { can } from "~/utils/permissions";
import { pii } from "~/utils/pii.server";
import type { AnsweredBy } from "../../core/answered-by";
import { formatMicros } from "../../core/money";
import { getCall } from "../../db/queries/calls";
import { requestCallEnd } from "../../db/queries/live-calls";
import { recordingOfCall, recordingRetention } from "../../db/queries/recordings";
import { createRun } from "../../db/queries/test-suites";
import { callUsage } from "../../db/queries/usage";
import { callTimeline, costBreakdown } from "./_portal.calls.$callId.server";

const notFound = () => new Response("Call not found", { status: 404 });

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { tenantId, role } = await requirePermission(request, "call:read");
  const call = await getCall(db(), pii(), { id: requireIdParam(params, "callId", notFound), tenantId });
  if (!call) throw notFound();
  const [rec, keepDays, usage] = await Promise.all([
    recordingOfCall(db(), { tenantId, callId: call.id }),
    recordingRetention(db(), { tenantId }),
    callUsage(db(), { tenantId, callId: call.id }),
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
      phoneNumberId: call.phoneNumberId,
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
    timeline: callTimeline(call.startedAt ?? call.createdAt, call.turns, call.events, (e) =>
      eventDetail(e.type, e.payload),
    ),
    costs: costBreakdown(usage, { micros: call.providerPriceMicros, unit: call.providerPriceUnit }),
    analysis: call.analysis && { ...call.analysis, completedAt: call.analysis.completedAt.toISOString() },
  };
}

/** What the timeline says of an event besides its type. */
const eventDetail = (type: string, payload: unknown) => {
  const p = (payload ?? {}) as Record<string, unknown>;
  if (type === "call.first_audio")
    return `${p.ms} ms after the stream started${p.cached ? ", the greeting said from memory" : ""}`;
  if (type === "knowledge.used") {
    const chunks = p.chunks as { document: string }[] | undefined;
    return chunks ? `passages from ${[...new Set(chunks.map((c) => c.document))].join(", ")}` : null;
  }
  const said = { "call.dtmf_sent": p.digits, "call.transferred": p.to, "caller.backchannel": p.text }[type];
  if (typeof said === "string") return said;
  if (typeof p.message === "string") return p.message;
  return typeof p.reason === "string" ? `reason: ${p.reason}` : null;
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
const statusTones = { completed: "ok", failed: "danger", in_progress: "info", ringing: "warn" } as const;

export default function CallDetail() {
  const { call, turns, timeline, costs, recording, analysis, canEnd, canReplay } = useLoaderData<typeof loader>();
  const live = call.status === "ringing" || call.status === "in_progress";
  const playback = usePlayback(recording?.durationSeconds ?? call.durationSeconds ?? 0);
  const playable = recording?.status === "stored";
  return (
    <>
      <PageHeader
        title="Call"
        description={`${call.direction === "web" ? "Web" : call.direction} call · ${formatDateTime(call.createdAt)}`}
        actions={
          <Badge tone={statusTones[call.status]} data-testid="call-status">
            {call.status}
            {call.endReason ? ` (${call.endReason})` : ""}
          </Badge>
        }
      />
      {live && <LiveCall callId={call.id} canEnd={canEnd} />}
      <div className="grid gap-4 lg:grid-cols-[minmax(0,2fr)_minmax(18rem,1fr)]">
        <div className="flex min-w-0 flex-col gap-4">
          {recording && (
            <Card aria-label="Recording">
              <h2>Recording</h2>
              {playable && (
                <>
                  <CallPlayer
                    callId={call.id}
                    playback={playback}
                    marks={timeline.map((e) => ({ id: e.id, atMs: e.atMs, label: e.label ?? e.type }))}
                  />
                  <p className="mt-2 mb-0 text-sm text-muted">
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
            </Card>
          )}
          <Card aria-label="Transcript">
            <h2>Transcript</h2>
            {canReplay && !live && (
              <Form method="post" className="filters">
                <input type="hidden" name="intent" value="replay" />
                <label htmlFor="replay-version">Replay the caller's words against agent version</label>
                <input id="replay-version" name="version" type="number" min={1} placeholder="current" />
                <Button type="submit" variant="secondary" size="sm">
                  Replay
                </Button>
              </Form>
            )}
            {turns.some((t) => t.latency) && <LatencyLegend />}
            <CallTranscript turns={turns} playback={playable ? playback : null} />
          </Card>
        </div>
        <div className="flex min-w-0 flex-col gap-4">
          <Card aria-label="Details">
            <h2>Details</h2>
            <CallFacts call={call} />
          </Card>
          <CallAnalysis analysis={analysis} ended={call.status === "completed" || call.status === "failed"} />
          <Card aria-label="Cost">
            <h2>Cost</h2>
            <CallCosts costs={costs} />
          </Card>
          <Card aria-label="Timeline">
            <h2>Timeline</h2>
            <CallTimeline entries={timeline} playback={playable ? playback : null} />
          </Card>
        </div>
      </div>
    </>
  );
}

function CallFacts({ call }: { call: ReturnType<typeof useLoaderData<typeof loader>>["call"] }) {
  return (
    <dl className="m-0">
      <dt>Agent</dt>
      <dd>
        {call.agentId ? <Link to={`/agents/${call.agentId}`}>{call.agentName}</Link> : "deleted agent"}
        {call.agentVersion && call.agentId && (
          <>
            {" "}
            (<Link to={`/agents/${call.agentId}/versions?to=${call.agentVersion}`}>version {call.agentVersion}</Link>)
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
          {call.phoneNumberId && (
            <>
              <dt>Number</dt>
              <dd>
                <Link to={`/numbers/${call.phoneNumberId}`} data-testid="call-number-link">
                  {call.direction === "inbound" ? call.toNumber : call.fromNumber}
                </Link>
              </dd>
            </>
          )}
        </>
      )}
      {call.answeredBy && (
        <>
          <dt>Answered by</dt>
          <dd data-testid="call-answered-by">{answeredByWords[call.answeredBy]}</dd>
        </>
      )}
      <dt>Duration</dt>
      <dd data-testid="call-duration">{formatDuration(call.durationSeconds)}</dd>
      <dt>Billed</dt>
      <dd>{call.cost ?? "—"}</dd>
      {call.twilioCharge && (
        <>
          <dt>Twilio charge</dt>
          <dd data-testid="twilio-charge">{call.twilioCharge}</dd>
        </>
      )}
    </dl>
  );
}
