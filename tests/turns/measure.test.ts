import { describe, expect, it } from "vitest";
import type { CallRecord, DbTurn } from "./call";
import { scenarios } from "./corpus";
import { LONG_LINE } from "./lines";
import { measure } from "./measure";

// A call on the player's clock: greeting 20–920 ms, the question ends at 2500, the long line plays
// from 2800 (4.8 s), the clip starts 2.4 s into it.
const scenario = (name: string) => scenarios.find((s) => s.name === name)!;
const agent = (seq: number, text: string, interrupted = false): DbTurn => ({
  seq,
  speaker: "agent",
  text,
  interrupted,
});
const caller = (seq: number, text: string): DbTurn => ({ seq, speaker: "caller", text, interrupted: false });
const mark = (name: string, at: number, cleared = false) => ({ name, at, cleared });
const record = (name: string, over: Partial<CallRecord>): CallRecord => ({
  scenario: scenario(name),
  clip: { mulaw: new Uint8Array(), words: [{ word: "mhm", startMs: 0, endMs: 500 }], durationMs: 500 },
  startedAt: 0,
  questionEnd: 2500,
  clipAt: 5200,
  audible: [],
  marks: [],
  turns: [agent(0, "Hello, Acme here."), caller(1, "what are your hours")],
  toolAnsweredAt: null,
  ...over,
});
const heardAll = [mark("turn-2.0", 4600), mark("turn-2.1", 6400), mark("turn-2.2", 7600), mark("turn-2", 7600)];

describe("measuring a call from its timeline and transcript", () => {
  it("a line that plays through a backchannel is no false barge-in", () => {
    const r = record("backchannel-mhm", {
      audible: [
        { start: 20, end: 920 },
        { start: 2800, end: 7600 },
      ],
      marks: heardAll,
    });
    r.turns.push(agent(2, LONG_LINE.join(" ")));
    expect(measure(r)).toMatchObject({
      cut: false,
      resumed: true,
      falseBargeIn: false,
      resumeMs: null,
      firstGreetingMs: 20,
    });
  });

  it("a line cleared on a backchannel and never resumed is a false barge-in", () => {
    const cleared = ["turn-2.1", "turn-2.2", "turn-2"].map((n) => mark(n, 5260, true));
    const r = record("backchannel-mhm", {
      audible: [
        { start: 2800, end: 5260 },
        { start: 6000, end: 6600 },
      ],
      marks: [mark("turn-2.0", 4600), ...cleared],
    });
    r.turns.push(agent(2, LONG_LINE[0]!, true), caller(3, "mhm"), agent(4, "Of course."));
    expect(measure(r)).toMatchObject({ cut: true, resumed: false, falseBargeIn: true });
  });

  it("a line paused and resumed where it was cut is no false barge-in, and its resume time is the silence", () => {
    const r = record("noise-cough", {
      audible: [
        { start: 2800, end: 5260 },
        { start: 7000, end: 9540 },
      ],
      marks: [mark("turn-2.0", 4600), mark("turn-2.1", 7940), mark("turn-2.2", 9540), mark("turn-2", 9540)],
    });
    r.turns.push(agent(2, LONG_LINE.join(" ")));
    expect(measure(r)).toMatchObject({ cut: true, resumed: true, falseBargeIn: false, resumeMs: 1740 });
  });

  it("a real interruption: time to stop, and the heard transcript against the marks playback reached", () => {
    const over = {
      audible: [{ start: 2800, end: 5262 }],
      marks: [mark("turn-2.0", 4600), ...["turn-2.1", "turn-2.2", "turn-2"].map((n) => mark(n, 5262, true))],
    };
    const honest = record("interrupt-no-stop", over);
    honest.turns.push(agent(2, LONG_LINE[0]!, true));
    expect(measure(honest)).toMatchObject({ stopMs: 62, missedInterruption: false, heardMatchesPlayed: true });
    const overclaims = record("interrupt-no-stop", over);
    overclaims.turns.push(agent(2, `${LONG_LINE[0]} ${LONG_LINE[1]}`, true));
    expect(measure(overclaims).heardMatchesPlayed).toBe(false);
    const talksOn = record("interrupt-no-stop", { ...over, audible: [{ start: 2800, end: 7600 }] });
    expect(measure(talksOn)).toMatchObject({ stopMs: 2400, missedInterruption: true });
  });

  it("dead air during a slow tool: from the caller's last word to the answer after the tool", () => {
    const r = record("slow-tool", {
      questionEnd: null,
      clipAt: 2000,
      clip: { mulaw: new Uint8Array(), words: [{ word: "ready", startMs: 1100, endMs: 1500 }], durationMs: 1500 },
      audible: [
        { start: 20, end: 920 },
        { start: 6850, end: 8000 },
      ],
      toolAnsweredAt: 6800,
    });
    expect(measure(r)).toMatchObject({ deadAirMs: 3350, endOfTurnMs: 3350, answeredEarly: false });
  });
});
