import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  initialLimits,
  type LimitsAction,
  type LimitsConfig,
  limitLines,
  limitsFor,
  nextWake,
  stepLimits,
} from "./call-limits";
import type { LimitsInput } from "./call-limits-clock";

type Logged = { at: number; action: LimitsAction };
type Step = { gap: number; event: LimitsInput };

/**
 * Plays events through the reducer as the clock would: every moment `nextWake` asks for gets a
 * tick before the next event, and after the last event time runs on to `until`.
 */
function play(config: LimitsConfig, steps: Step[], until: number) {
  let state = initialLimits(config);
  let now = 0;
  const log: Logged[] = [];
  const seen: { at: number; event: LimitsInput }[] = [];
  const apply = (event: LimitsInput) => {
    const r = stepLimits(config, state, { ...event, now } as Parameters<typeof stepLimits>[2]);
    state = r.state;
    for (const action of r.actions) log.push({ at: now, action });
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
    seen.push({ at: now, event });
    apply(event);
  }
  runTo(until);
  return { log, seen, state };
}

const texts = ["", "What are your hours?", "Goodbye!", "ok bye now", "maybe later", "GOODBYE", "thanks"];
const event: fc.Arbitrary<LimitsInput> = fc.oneof(
  fc.constant({ type: "caller_voice" as const }),
  fc.constantFrom(...texts).map((text) => ({ type: "caller_said" as const, text })),
  fc.constant({ type: "agent_replying" as const }),
  fc.constant({ type: "agent_speaking" as const }),
  fc.constantFrom(...texts).map((text) => ({ type: "agent_said" as const, text })),
  fc.constant({ type: "agent_quiet" as const }),
  fc.constant({ type: "line_failed" as const }),
  fc
    .constantFrom("end_call_tool", "provider_error")
    .chain((reason) =>
      fc
        .option(fc.constant("Sorry, goodbye."), { nil: undefined })
        .map((line) => ({ type: "end" as const, reason, line })),
    ),
);
const steps = (extra: fc.Arbitrary<LimitsInput> = event) =>
  fc.array(fc.record({ gap: fc.integer({ min: 0, max: 4000 }), event: extra }), { maxLength: 60 });
const config: fc.Arbitrary<LimitsConfig> = fc.record({
  deadlines: fc
    .tuple(fc.integer({ min: 1000, max: 60_000 }), fc.option(fc.integer({ min: 500, max: 60_000 })))
    .map(([max, session]) => [
      { reason: "max_duration" as const, atMs: max },
      ...(session === null ? [] : [{ reason: "session_limit" as const, atMs: session }]),
    ]),
  silenceTimeoutMs: fc.oneof(fc.constant(0), fc.integer({ min: 200, max: 10_000 })),
  endCallPhrases: fc.subarray(["goodbye", "bye now", "bye"]),
  lastLineGraceMs: fc.integer({ min: 0, max: 8000 }),
});
const limitOf = (c: LimitsConfig) => Math.min(...c.deadlines.map((d) => d.atMs));
const hangUps = (log: Logged[]) => log.filter((l) => l.action.kind === "hang_up");

describe("call limits: properties over random calls", () => {
  it("a call ends exactly once, and never after its limit plus the last line's grace", () => {
    fc.assert(
      fc.property(config, steps(), (c, s) => {
        const { log } = play(c, s, limitOf(c) + c.lastLineGraceMs + 1);
        const ends = hangUps(log);
        expect(ends).toHaveLength(1);
        expect(ends[0]!.at).toBeLessThanOrEqual(limitOf(c) + c.lastLineGraceMs);
        expect(log.at(-1)).toBe(ends[0]); // nothing is decided after the hang-up
      }),
    );
  });

  it("nothing is decided once the call is closed", () => {
    fc.assert(
      fc.property(config, steps(), steps(), (c, before, after) => {
        const closed: Step = { gap: 0, event: { type: "closed" } };
        const { log } = play(c, [...before, closed, ...after], limitOf(c) + c.lastLineGraceMs + 10_000);
        const closedAt = before.reduce((t, x) => t + x.gap, 0);
        expect(log.filter((l) => l.at > closedAt)).toEqual([]);
        expect(hangUps(log).length).toBeLessThanOrEqual(1);
      }),
    );
  });

  it("the silence rule never fires within its timeout of the caller's voice, nor while the agent talks", () => {
    fc.assert(
      fc.property(config, steps(), (c, s) => {
        const { log, seen } = play(c, s, limitOf(c) + c.lastLineGraceMs + 1);
        const silent = log.filter(
          (l) => l.action.kind === "reprompt" || (l.action.kind === "goodbye" && l.action.reason === "silence_timeout"),
        );
        for (const { at } of silent) {
          const before = seen.filter((x) => x.at <= at);
          const voice = before.filter((x) => x.event.type === "caller_voice" || x.event.type === "caller_said").at(-1);
          if (voice) expect(at - voice.at).toBeGreaterThanOrEqual(c.silenceTimeoutMs);
          const agent = before
            .filter((x) => x.event.type === "agent_speaking" || x.event.type === "agent_quiet")
            .at(-1);
          expect(agent?.event.type).not.toBe("agent_speaking");
          expect(c.silenceTimeoutMs).toBeGreaterThan(0);
        }
      }),
    );
  });

  it("every limit and silence ending speaks its line first, never before its time, and a reprompt comes before a silence goodbye", () => {
    fc.assert(
      fc.property(config, steps(), (c, s) => {
        const { log } = play(c, s, limitOf(c) + c.lastLineGraceMs + 1);
        const end = hangUps(log)[0]!.action as { reason: string };
        const goodbye = log.find((l) => l.action.kind === "goodbye");
        if (["max_duration", "session_limit", "trial_used", "silence_timeout"].includes(end.reason)) {
          expect(goodbye?.action).toMatchObject({ reason: end.reason });
        }
        if (goodbye?.action.kind === "goodbye" && goodbye.action.line === limitLines.timeLimit) {
          const deadline = c.deadlines.find((d) => d.reason === end.reason)!;
          expect(goodbye.at).toBeGreaterThanOrEqual(deadline.atMs);
        }
        if (end.reason === "silence_timeout")
          expect(log.some((l) => l.action.kind === "reprompt" && l.at < goodbye!.at)).toBe(true);
      }),
    );
  });

  it("a goodbye's call ends once its line was heard (spoken, then quiet), else at the grace or when it cannot be said", () => {
    fc.assert(
      fc.property(config, steps(), (c, s) => {
        const { log, seen } = play(c, s, limitOf(c) + c.lastLineGraceMs + 1);
        const goodbye = log.find((l) => l.action.kind === "goodbye");
        const end = hangUps(log)[0]!;
        if (!goodbye) return;
        const after = seen.filter((x) => x.at >= goodbye.at && x.at <= end.at).map((x) => x.event.type);
        const heard =
          after.indexOf("agent_speaking") >= 0 && after.lastIndexOf("agent_quiet") > after.indexOf("agent_speaking");
        const graceOver = end.at >= Math.min(goodbye.at, limitOf(c)) + c.lastLineGraceMs;
        expect(heard || graceOver || after.includes("line_failed")).toBe(true);
      }),
    );
  });

  it("a deadline moved while the call runs (the trial's minutes re-read) still bounds the call", () => {
    const moved = fc
      .integer({ min: -5000, max: 30_000 })
      .map((atMs) => ({ type: "deadline" as const, reason: "trial_used" as const, atMs }));
    fc.assert(
      fc.property(config, steps(fc.oneof(event, moved)), (c, s) => {
        const { log } = play(c, s, limitOf(c) + c.lastLineGraceMs + 1);
        const end = hangUps(log)[0]!;
        if (end.action.kind === "hang_up" && end.action.reason === "trial_used") {
          expect(s.some((x) => x.event.type === "deadline")).toBe(true);
          expect(log.find((l) => l.action.kind === "goodbye")!.action).toMatchObject({
            reason: "trial_used",
            line: limitLines.timeLimit,
          });
        }
        expect(end.at).toBeLessThanOrEqual(limitOf(c) + c.lastLineGraceMs);
      }),
    );
  });
});

const agent = { maxDurationSeconds: 60, silenceTimeoutSeconds: 5, endCallPhrases: ["goodbye"] };
const at = (gap: number, event: LimitsInput): Step => ({ gap, event });

describe("call limits: the rules, one by one", () => {
  it("at the maximum length: the time-limit line cuts in, and the call ends once it is heard", () => {
    const c = limitsFor({ ...agent, silenceTimeoutSeconds: 0 });
    const { log } = play(
      c,
      [at(0, { type: "agent_speaking" }), at(61_000, { type: "agent_speaking" }), at(3000, { type: "agent_quiet" })],
      70_000,
    );
    expect(log).toEqual([
      { at: 60_000, action: { kind: "goodbye", reason: "max_duration", line: limitLines.timeLimit } },
      { at: 64_000, action: { kind: "hang_up", reason: "max_duration" } },
    ]);
  });

  it("a widget session shorter than the agent's limit ends the call first, as session_limit", () => {
    const c = limitsFor(agent, { deadlines: [{ reason: "session_limit", atMs: 30_000 }] });
    const { log } = play(
      c,
      Array.from({ length: 40 }, () => at(1000, { type: "caller_voice" })),
      90_000,
    );
    expect(log[0]).toEqual({
      at: 30_000,
      action: { kind: "goodbye", reason: "session_limit", line: limitLines.timeLimit },
    });
    expect(hangUps(log)).toEqual([{ at: 50_000, action: { kind: "hang_up", reason: "session_limit" } }]); // its line never heard: the grace
  });

  it("silence: a reprompt after the timeout, a goodbye after as long again, and the caller's voice resets it", () => {
    const c = limitsFor(agent);
    const { log } = play(
      c,
      [at(0, { type: "agent_speaking" }), at(1000, { type: "agent_quiet" }), at(4000, { type: "caller_voice" })],
      16_000,
    );
    expect(log.map((l) => [l.at, l.action.kind])).toEqual([
      [10_000, "reprompt"],
      [15_000, "goodbye"],
    ]);
  });

  it("waiting for the agent's reply is not silence", () => {
    const c = limitsFor(agent);
    const { log } = play(
      c,
      [
        at(0, { type: "caller_said", text: "Hours?" }),
        at(0, { type: "agent_replying" }),
        at(9000, { type: "agent_speaking" }),
        at(1000, { type: "agent_quiet" }),
      ],
      15_000,
    );
    expect(log).toEqual([{ at: 15_000, action: { kind: "reprompt", line: limitLines.reprompt } }]);
  });

  it("the caller's end-call phrase: a goodbye line; the agent's: its own words are the last line", () => {
    const c = limitsFor(agent);
    const caller = play(c, [at(2000, { type: "caller_said", text: "OK, goodbye." })], 2000).log;
    expect(caller).toEqual([
      { at: 2000, action: { kind: "goodbye", reason: "end_call_phrase", line: limitLines.goodbye } },
    ]);
    const own = play(
      c,
      [
        at(0, { type: "agent_speaking" }),
        at(500, { type: "agent_said", text: "Goodbye!" }),
        at(800, { type: "agent_quiet" }),
      ],
      3000,
    ).log;
    expect(own).toEqual([{ at: 1300, action: { kind: "hang_up", reason: "end_call_phrase" } }]);
    expect(play(c, [at(0, { type: "caller_said", text: "goodbyes are sad" })], 1000).log).toEqual([]);
  });

  it("the trial's deadline: moved earlier, it ends the call; lifted (the tenant upgraded), it is gone", () => {
    const c = limitsFor({ ...agent, silenceTimeoutSeconds: 0 });
    const early = play(c, [at(1000, { type: "deadline", reason: "trial_used", atMs: 3000 })], 4000).log;
    expect(early).toEqual([
      { at: 3000, action: { kind: "goodbye", reason: "trial_used", line: limitLines.timeLimit } },
    ]);
    // Already passed when it is learnt: the line is still said, with its full grace.
    const past = play(c, [at(30_000, { type: "deadline", reason: "trial_used", atMs: 0 })], 49_000).log;
    expect(past).toEqual([
      { at: 30_000, action: { kind: "goodbye", reason: "trial_used", line: limitLines.timeLimit } },
    ]);
    const lifted = play(
      c,
      [
        at(0, { type: "deadline", reason: "trial_used", atMs: 3000 }),
        at(1000, { type: "deadline", reason: "trial_used", atMs: null }),
      ],
      10_000,
    ).log;
    expect(lifted).toEqual([]);
  });

  it("other endings go through the same gate: a line that cannot be spoken hangs up at once, a second ending is ignored", () => {
    const c = limitsFor(agent);
    const { log } = play(
      c,
      [
        at(100, { type: "end", reason: "provider_error", line: "Sorry." }),
        at(0, { type: "end", reason: "end_call_tool" }),
        at(10, { type: "line_failed" }),
      ],
      1000,
    );
    expect(log).toEqual([
      { at: 100, action: { kind: "goodbye", reason: "provider_error", line: "Sorry." } },
      { at: 110, action: { kind: "hang_up", reason: "provider_error" } },
    ]);
  });
});
