import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { defaultTurnTaking as defaultInterruption } from "../core/agents/turn-taking";
import { type Arbiter, type ArbiterEvent, initialArbiter, stepArbiter } from "./interruption";

const settings = { ...defaultInterruption, language: "en" };
const run = (events: ArbiterEvent[], from: Arbiter = initialArbiter) => {
  let state = from;
  const effects: { at: number; effect: string }[] = [];
  events.forEach((e, at) => {
    const r = stepArbiter(settings, state, e);
    state = r.state;
    if (r.effect) effects.push({ at, effect: r.effect });
  });
  return { state, effects };
};
const frames = (n: number, voice: boolean, agentSpeaking = true): ArbiterEvent[] =>
  Array.from({ length: n }, () => ({ type: "frame", voice, ms: 20, agentSpeaking }));
const words = (text: string, final = false): ArbiterEvent => ({ type: "words", text, final, agentSpeaking: true });

const frame = fc.record({
  type: fc.constant("frame" as const),
  voice: fc.boolean(),
  voiced: fc.option(fc.boolean(), { nil: undefined }),
  ms: fc.constantFrom(10, 20, 40),
  agentSpeaking: fc.boolean(),
});
const backchannel = fc.record({
  type: fc.constant("words" as const),
  text: fc.constantFrom("mhm", "yeah", "okay, right", "uh-huh", "i see", ""),
  final: fc.boolean(),
  agentSpeaking: fc.boolean(),
});

describe("the interruption arbiter", () => {
  it("pauses a real interruption within the minimum speech, and makes it final on its first words", () => {
    const r = run([...frames(5, false), ...frames(12, true), words("wait"), ...frames(3, true)]);
    expect(r.effects).toEqual([
      { at: 5 + 9, effect: "pause" },
      { at: 17, effect: "interrupt" },
    ]);
  });
  it("resumes after a cough: sound, then quiet with no words", () => {
    const r = run([...frames(15, true), ...frames(40, false)]);
    expect(r.effects.map((e) => e.effect)).toEqual(["pause", "resume"]);
    expect(r.effects[1]!.at).toBe(15 + 30 - 1);
  });
  it("resumes at once when the recogniser's final words are only a backchannel", () => {
    const r = run([...frames(15, true), words("mhm"), words("mhm yeah", true), ...frames(5, false)]);
    expect(r.effects.map((e) => e.effect)).toEqual(["pause", "resume"]);
  });
  it("never pauses for loud sound without a voice in it (a cough, traffic), however long", () => {
    const noise = Array.from(
      { length: 200 },
      (): ArbiterEvent => ({ type: "frame", voice: true, voiced: false, ms: 20, agentSpeaking: true }),
    );
    expect(run(noise).effects).toEqual([]);
    const coughThenWords = [...noise.slice(0, 30), ...frames(12, true)];
    expect(run(coughThenWords).effects.map((e) => e.effect)).toEqual(["pause"]);
  });
  it("ignores a click and short blips (gaps longer than 100 ms reset the gate)", () => {
    const blips = Array.from({ length: 20 }, () => [...frames(4, true), ...frames(6, false)]).flat();
    expect(run(blips).effects).toEqual([]);
  });
  it("never interrupts for good on sound or backchannels alone, whatever their order (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(frame, backchannel), { maxLength: 400 }), (events) => {
        expect(run(events).effects.some((e) => e.effect === "interrupt")).toBe(false);
      }),
    );
  });
  it("alternates: a resume only after a pause, and every pause ends within maxPauseMs (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(frame, backchannel), { maxLength: 400 }), (events) => {
        const tail = frames(defaultInterruption.maxPauseMs / 20 + 20, true);
        const { effects, state } = run([...events.map((e) => ({ ...e, agentSpeaking: true })), ...tail]);
        let paused = false;
        for (const { effect } of effects) {
          expect(effect === "pause").toBe(!paused);
          paused = effect === "pause";
        }
        expect(state.phase).not.toBe("paused");
      }),
    );
  });
  it("does nothing while the agent is silent, and drops a pause when the agent stops", () => {
    expect(run([...frames(50, true, false), { ...words("stop now"), agentSpeaking: false }]).effects).toEqual([]);
    const r = run([...frames(12, true), ...frames(1, true, false)]);
    expect(r.effects.map((e) => e.effect)).toEqual(["pause"]);
    expect(r.state.phase).toBe("idle");
  });
  it("after a resume, the same continuous noise cannot pause again until it has been quiet", () => {
    const r = run(frames(400, true));
    expect(r.effects.map((e) => e.effect)).toEqual(["pause", "resume"]);
  });
});
