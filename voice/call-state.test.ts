import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { limitLines, limitsFor } from "./call-limits";
import { type CallEffect, type CallEvent, heardText, initialCall, nextWake, stepCall } from "./call-state";
import type { CallInput } from "./call-state-clock";
import { TRANSFER_FAILED_LINE } from "./hand-over";

const config = limitsFor(
  { maxDurationSeconds: 60, silenceTimeoutSeconds: 5, endCallPhrases: ["goodbye"] },
  { deadlines: [{ reason: "trial_used", atMs: 45_000 }] },
);
type Step = { gap: number; event: CallInput };
type Logged = { at: number; effect: CallEffect };

/** Plays events through the reducer as the clock would: each moment `nextWake` asks for gets a tick first. */
function play(steps: Step[], until: number) {
  let state = initialCall(config);
  let now = 0;
  const log: Logged[] = [];
  /** How many effects came before the media stream closed (null: it never did). */
  let closedAfter: number | null = null;
  const apply = (event: CallInput) => {
    if (event.type === "transport_closed") closedAfter ??= log.length;
    const r = stepCall(config, state, { ...event, now } as CallEvent);
    state = r.state;
    for (const effect of r.effects) log.push({ at: now, effect });
  };
  const runTo = (to: number) => {
    for (let i = 0, w = nextWake(config, state); w !== null && w <= to; w = nextWake(config, state)) {
      if (++i > 1000) throw new Error("the rules never settle");
      now = Math.max(now, w);
      apply({ type: "tick" });
    }
    now = Math.max(now, to);
  };
  for (const { gap, event } of steps) {
    runTo(now + gap);
    apply(event);
  }
  runTo(until);
  return { state, log, closedAfter };
}

const id = fc.constantFrom("a", "b", "c");
const text = fc.array(fc.constantFrom("hello", "there", "goodbye", "  ", "we open at nine.", ""), { maxLength: 3 });
const event: fc.Arbitrary<CallInput> = fc.oneof(
  id.map((id) => ({ type: "line_started" as const, id })),
  fc
    .record({ id, words: text, units: fc.nat(4) })
    .map(({ id, words, units }) => ({ type: "line_sent" as const, id, text: words.join(" "), units })),
  fc.record({ id, units: fc.nat(20) }).map(({ id, units }) => ({ type: "mark_heard" as const, id, units })),
  id.map((id) => ({ type: "line_heard" as const, id })),
  id.map((id) => ({ type: "line_dropped" as const, id })),
  fc.constant({ type: "cleared" as const }),
  fc.constant({ type: "reply_done" as const }),
  fc.constant({ type: "caller_voice" as const }),
  fc.constant({ type: "agent_replying" as const }),
  fc.constantFrom("hi", "ok goodbye").map((t) => ({ type: "caller_said" as const, text: t })),
  fc.constantFrom("sure", "goodbye then").map((t) => ({ type: "agent_said" as const, text: t })),
  fc.constantFrom(
    { type: "tool_result" as const, action: { kind: "end_call" as const } },
    {
      type: "tool_result" as const,
      action: { kind: "transfer" as const, number: "+14155550999", mode: "cold" as const },
    },
  ),
  fc.constantFrom(
    { type: "end" as const, reason: "transfer_failed", line: TRANSFER_FAILED_LINE },
    { type: "end" as const, reason: "provider_error", line: "fallback" },
  ),
  fc.constant({ type: "line_failed" as const }),
  fc.constant({ type: "transport_closed" as const }),
);
const steps = fc.array(fc.record({ gap: fc.nat(8_000), event }), { maxLength: 40 });
const LATER = 24 * 3_600_000;
/** Endings need a few events in a row (an end, its line started, a close): more runs find them. */
const runs = { numRuns: 2000 };

/** The line each reason says before the hang-up (reasons not listed end on the agent's own words). */
const lineOf: Record<string, string> = {
  max_duration: limitLines.timeLimit,
  trial_used: limitLines.timeLimit,
  silence_timeout: limitLines.silenceGoodbye,
  transfer_failed: TRANSFER_FAILED_LINE,
  provider_error: "fallback",
};

describe("call state over random calls", () => {
  it("records of each line only words it sent, in order, and all of them when it was heard to the end", () => {
    fc.assert(
      fc.property(steps, (s) => {
        const sent = new Map<string, string>();
        const marked = new Set<string>();
        // What each open line sent, kept beside the reducer from the events alone.
        let state = initialCall(config);
        let now = 0;
        for (const { gap, event } of s) {
          now += gap;
          if (event.type === "line_started" && !state.playing.some((l) => l.id === event.id)) {
            sent.set(event.id, "");
            marked.delete(event.id);
          }
          if (event.type === "mark_heard" && event.units > 0) marked.add(event.id);
          if (event.type === "line_sent" && state.playing.some((l) => l.id === event.id))
            sent.set(event.id, sent.get(event.id)! + event.text);
          const r = stepCall(config, state, { ...event, now } as CallEvent);
          state = r.state;
          for (const l of state.playing) expect(l.heard).toBeLessThanOrEqual(l.sent);
          for (const e of r.effects) {
            if (e.kind !== "line_done") continue;
            const all = sent.get(e.id)!.split(/\s+/).filter(Boolean);
            const heard = e.text.split(/\s+/).filter(Boolean);
            expect(all.slice(0, heard.length)).toEqual(heard);
            if (!e.interrupted) expect(heard).toEqual(all);
            // Cut off before any of its marks came back: the caller heard none of it.
            else if (!marked.has(e.id)) expect(heard).toEqual([]);
          }
        }
      }),
      runs,
    );
  });

  it("ends a call exactly once: one hang-up, none after the caller hung up", () => {
    fc.assert(
      fc.property(steps, (s) => {
        const { log, closedAfter } = play(s, LATER);
        const hangUps = log.filter((l) => l.effect.kind === "hang_up");
        expect(log.slice(closedAfter ?? log.length).filter((l) => l.effect.kind === "hang_up")).toEqual([]);
        // The maximum length comes in the end, so a call the caller did not hang up is always hung up.
        const closedFirst = closedAfter !== null && !log.slice(0, closedAfter).some((l) => l.effect.kind === "hang_up");
        expect(hangUps).toHaveLength(closedFirst ? 0 : 1);
      }),
      runs,
    );
  });

  it("says an ending's line before hanging up", () => {
    fc.assert(
      fc.property(steps, (s) => {
        const { log } = play(s, LATER);
        const at = log.findIndex((l) => l.effect.kind === "hang_up");
        if (at < 0) return;
        const { reason } = log[at]!.effect as { reason: string };
        const goodbyes = log.slice(0, at).filter((l) => l.effect.kind === "goodbye");
        expect(goodbyes.length).toBeLessThanOrEqual(1);
        if (lineOf[reason])
          expect(goodbyes.map((g) => g.effect)).toEqual([{ kind: "goodbye", reason, line: lineOf[reason] }]);
        else for (const g of goodbyes) expect(g.effect).toMatchObject({ reason, line: limitLines.goodbye });
      }),
      runs,
    );
  });

  it("is deterministic: the same events give the same effects and state", () => {
    fc.assert(
      fc.property(steps, (s) => {
        expect(play(s, LATER)).toEqual(play(s, LATER));
      }),
      runs,
    );
  });
});

describe("call state", () => {
  const at = (now: number, e: CallInput) => ({ ...e, now }) as CallEvent;
  const run = (events: CallInput[]) => {
    let state = initialCall(config);
    const effects: CallEffect[] = [];
    for (const e of events) {
      const r = stepCall(config, state, at(1000, e));
      state = r.state;
      effects.push(...r.effects);
    }
    return { state, effects };
  };

  it("on barge-in keeps the words heard: two of four, by the units their marks counted", () => {
    const { effects } = run([
      { type: "line_started", id: "a" },
      { type: "line_sent", id: "a", text: "one two", units: 2 },
      { type: "line_sent", id: "a", text: " three four", units: 2 },
      { type: "mark_heard", id: "a", units: 2 },
      { type: "cleared" },
    ]);
    expect(effects).toContainEqual({ kind: "line_done", id: "a", text: "one two", interrupted: true });
  });

  it("hands over once the words before the transfer are heard, and not when they were cut off", () => {
    const transfer = { kind: "transfer" as const, number: "+14155550999", mode: "cold" as const };
    const start: CallInput[] = [
      { type: "line_started", id: "a" },
      { type: "line_sent", id: "a", text: "Transferring you.", units: 2 },
      { type: "tool_result", action: transfer },
    ];
    expect(run(start).effects.filter((e) => e.kind === "hand_over")).toEqual([]);
    expect(run([...start, { type: "line_heard", id: "a" }]).effects).toContainEqual({
      kind: "hand_over",
      action: transfer,
    });
    expect(run([...start, { type: "line_dropped", id: "a" }]).effects.map((e) => e.kind)).not.toContain("hand_over");
  });

  it("hears nothing of a line none of whose audio went out", () => {
    expect(heardText({ id: "a", text: "never sent", sent: 0, heard: 0 })).toBe("");
  });
});
