import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { type LimitsAction, limitsFor } from "./call-limits";
import { startCallLimits } from "./call-limits-clock";

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

function clock(agent = { maxDurationSeconds: 60, silenceTimeoutSeconds: 5, endCallPhrases: ["goodbye"] }) {
  const start = Date.now();
  const now = () => Date.now() - start;
  const actions: [number, LimitsAction["kind"], string?][] = [];
  const limits = startCallLimits(limitsFor(agent), {
    now,
    onAction: (a) => {
      actions.push([now(), a.kind, a.kind === "reprompt" ? undefined : a.reason]);
      // An engine answers a line by speaking it; that comes back in as events, queued behind this one.
      if (a.kind !== "hang_up") limits.send({ type: "agent_speaking" });
    },
    log: () => {},
  });
  return { limits, actions, now };
}

describe("the call-limits clock (fake timers)", () => {
  it("wakes for silence exactly a timeout after the caller's last voice, however often it was heard", () => {
    const { limits, actions } = clock();
    for (let i = 0; i < 200; i++) {
      limits.send({ type: "caller_voice" });
      vi.advanceTimersByTime(20);
    }
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(5000 - 20 - 1);
    expect(actions).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(actions).toEqual([[8980, "reprompt", undefined]]); // the last voice was at 3980
  });

  it("ends at the maximum length with the line, hangs up once it is heard, and leaves no timer", () => {
    const { limits, actions } = clock({ maxDurationSeconds: 60, silenceTimeoutSeconds: 0, endCallPhrases: [] });
    vi.advanceTimersByTime(60_000);
    expect(actions).toEqual([[60_000, "goodbye", "max_duration"]]);
    vi.advanceTimersByTime(2500);
    limits.send({ type: "agent_quiet" });
    expect(actions.at(-1)).toEqual([62_500, "hang_up", "max_duration"]);
    expect(limits.ending).toBe("max_duration");
    expect(vi.getTimerCount()).toBe(0);
    limits.send({ type: "caller_said", text: "goodbye" });
    expect(actions).toHaveLength(2);
  });

  it("hangs up at the grace when the last line's mark never comes back", () => {
    const { actions } = clock({ maxDurationSeconds: 30, silenceTimeoutSeconds: 0, endCallPhrases: [] });
    vi.advanceTimersByTime(30_000 + 20_000);
    expect(actions).toEqual([
      [30_000, "goodbye", "max_duration"],
      [50_000, "hang_up", "max_duration"],
    ]);
  });

  it("closing clears its timer and decides nothing more", () => {
    const { limits, actions } = clock();
    limits.close();
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(3_600_000);
    expect(actions).toEqual([]);
  });

  it("a throwing action is logged, and the rules go on", () => {
    const logged: unknown[] = [];
    const start = Date.now();
    const limits = startCallLimits(limitsFor({ maxDurationSeconds: 1, silenceTimeoutSeconds: 0, endCallPhrases: [] }), {
      now: () => Date.now() - start,
      onAction: () => {
        throw new Error("boom");
      },
      log: (f) => logged.push(f),
    });
    vi.advanceTimersByTime(1000);
    expect(logged).toEqual([expect.objectContaining({ msg: "call-limits action failed", action: "goodbye" })]);
    expect(limits.ending).toBe("max_duration");
  });
});
