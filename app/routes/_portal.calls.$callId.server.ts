import { formatMicros } from "../../core/money";
import type { callUsage } from "../../db/queries/usage";

type Usage = Awaited<ReturnType<typeof callUsage>>[number];
type Event = { id: string; type: string; payload: unknown; createdAt: Date };
type Turn = { seq: number; speaker: string; text: string; offsetMs: number; interrupted: boolean };

const usageLabels: Record<Usage["kind"], { label: string; detail: (u: Usage) => string }> = {
  call_seconds: {
    label: "Voice AI (speech recognition, model, voice, platform)",
    detail: (u) => `${u.quantity} s at ${formatMicros(u.unitPriceMicros, u.currency)}/s`,
  },
};

/**
 * What the call cost, line by line, and the total of the lines in our currency. Speech
 * recognition, the model and the voice are priced together per second by the plan, so they are one
 * line; Twilio bills the phone leg to the tenant's own account, in its currency: a line of its own,
 * in the total only when the currencies agree.
 */
export function costBreakdown(usage: Usage[], twilio: { micros: bigint | null; unit: string | null }) {
  const currency = usage[0]?.currency ?? "usd";
  const lines: { key: string; label: string; detail: string; micros: bigint; currency: string }[] = usage.map((u) => ({
    key: u.kind,
    label: usageLabels[u.kind].label,
    detail: usageLabels[u.kind].detail(u),
    micros: u.amountMicros,
    currency: u.currency,
  }));
  // Twilio writes a charge as a negative price; shown as what it cost.
  if (twilio.micros != null)
    lines.push({
      key: "telephony",
      label: "Telephony (Twilio, billed to your account)",
      detail: "the phone leg",
      micros: -twilio.micros,
      currency: (twilio.unit ?? "usd").toLowerCase(),
    });
  const counted = lines.filter((l) => l.currency === currency);
  return {
    lines: lines.map((l) => ({ ...l, micros: undefined, amount: formatMicros(l.micros, l.currency) })),
    total: counted.length
      ? formatMicros(
          counted.reduce((s, l) => s + l.micros, 0n),
          currency,
        )
      : null,
    apart: lines.length - counted.length,
  };
}

const eventLabels: Record<string, string> = {
  "call.transferred": "Transferred",
  "call.dtmf_sent": "Keys pressed",
  "caller.backchannel": "Caller acknowledged",
  "interruption.paused": "Caller spoke over the agent (paused)",
  "interruption.resumed": "Agent resumed",
  "knowledge.used": "Knowledge used",
  "provider.error": "Provider error",
};

/**
 * Tool calls, barge-ins and the call's events, in time order, each at its offset from the call's
 * start: the voice loop's own clock (`at`, as turns use) when the event carries it, else when it
 * was written.
 */
export function callTimeline(start: Date, turns: Turn[], events: Event[], detail: (e: Event) => string | null) {
  const entries = [
    ...turns
      .filter((t) => t.speaker === "tool" || t.interrupted)
      .map((t) => ({
        id: `turn-${t.seq}`,
        kind: t.speaker === "tool" ? ("tool" as const) : ("barge-in" as const),
        type: t.speaker === "tool" ? "tool.called" : "caller.barged_in",
        label: t.speaker === "tool" ? (t.text.split("(")[0] ?? t.text) : "Caller barged in",
        detail: t.speaker === "tool" ? t.text : null,
        atMs: t.offsetMs,
      })),
    ...events.map((e) => {
      const at = (e.payload as { at?: unknown } | null)?.at;
      return {
        id: e.id,
        kind: "event" as const,
        type: e.type,
        label: eventLabels[e.type] ?? null,
        detail: detail(e),
        atMs: typeof at === "number" ? at : e.createdAt.getTime() - start.getTime(),
      };
    }),
  ];
  return entries.sort((a, b) => a.atMs - b.atMs);
}
