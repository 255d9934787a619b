import { describe, expect, it } from "vitest";
import { createPlayout } from "./playout";

const frame = (value: number) => new Uint8Array(160).fill(value);
function wire() {
  const log: string[] = [];
  let t = 0;
  const playout = createPlayout(
    {
      media: (f) => log.push(`media:${f[0]}`),
      mark: (name) => log.push(`mark:${name}`),
      clear: () => log.push("clear"),
    },
    () => t,
  );
  return { log, playout, at: (ms: number) => (t = ms) };
}

describe("the playout", () => {
  it("pauses with a clear and resumes from a little before where the caller stopped hearing", () => {
    const { log, playout, at } = wire();
    for (let i = 0; i < 50; i++) playout.media(frame(i)); // 1 s of audio, sent at once
    playout.mark("turn-0.0");
    at(500); // frames 0–24 have played
    playout.pause();
    playout.media(frame(99)); // the TTS keeps going: kept, not sent
    playout.mark("turn-0");
    expect(log.slice(-1)).toEqual(["clear"]);
    log.length = 0;
    at(900);
    playout.resume();
    // 200 ms rewind: from frame 16 (played from 320 ms), then the rest, the late frame, a re-sent mark under a new name, one never sent under its own.
    expect(log[0]).toBe("media:16");
    expect(log.filter((l) => l.startsWith("media")).length).toBe(50 - 16 + 1);
    expect(log.slice(-3)).toEqual(["mark:turn-0.0~1", "media:99", "mark:turn-0"]);
  });
  it("takes the marks a pause's clear answered for nothing, and the re-sent ones for what they say", () => {
    const { playout, at } = wire();
    playout.media(frame(1));
    playout.mark("turn-2.0");
    for (let i = 0; i < 30; i++) playout.media(frame(2));
    playout.mark("turn-2.1");
    at(100);
    playout.pause();
    // Twilio answers both pending marks at the clear: the first one's audio had played, the second's had not.
    expect(playout.heard("turn-2.0")).toBe("turn-2.0");
    expect(playout.heard("turn-2.1")).toBeNull();
    playout.resume();
    expect(playout.heard("turn-2.1~1")).toBe("turn-2.1");
  });
  it("calls quiet caller sound under the agent's playing audio an echo, and loud speech not", () => {
    const { playout, at } = wire();
    for (let i = 0; i < 25; i++) playout.media(frame(0x10)); // loud
    at(300);
    const loud = 8000 ** 2;
    expect(playout.echoes(loud / 20, 0.5)).toBe(true); // about −13 dB
    expect(playout.echoes(loud * 4, 0.5)).toBe(false);
    at(2000); // long after the agent's audio ended
    expect(playout.echoes(loud / 20, 0.5)).toBe(false);
  });
  it("drops what a pause kept when the interruption is final", () => {
    const { log, playout } = wire();
    playout.media(frame(1));
    playout.pause();
    playout.drop();
    playout.resume();
    expect(log).toEqual(["media:1", "clear", "clear"]);
  });
});
