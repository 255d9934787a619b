import { describe, expect, it } from "vitest";
import { decodeMulaw, encodeMulaw, linearToMulaw, mulawToLinear } from "./mulaw";
import { FRAME_SAMPLES, mulawFrames, sandboxSpeech } from "./sandbox-tts";

describe("μ-law", () => {
  it("encodes the G.711 reference points", () => {
    expect(linearToMulaw(0)).toBe(0xff);
    expect(linearToMulaw(-1)).toBe(0x7f);
    expect(linearToMulaw(32767)).toBe(0x80);
    expect(linearToMulaw(-32768)).toBe(0x00);
  });

  it("round-trips within the quantisation step", () => {
    for (const s of [0, 100, -100, 1000, -5000, 12000, -30000]) {
      const back = mulawToLinear(linearToMulaw(s));
      expect(Math.abs(back - s)).toBeLessThanOrEqual(Math.max(8, Math.abs(s) / 16));
    }
    const pcm = Int16Array.from([0, 500, -500, 8000]);
    expect(decodeMulaw(encodeMulaw(pcm))).toHaveLength(4);
  });
});

describe("sandbox speech", () => {
  it("is deterministic, non-silent and split into 20 ms frames", () => {
    const a = sandboxSpeech("Hello, thanks for calling.");
    expect(a).toEqual(sandboxSpeech("Hello, thanks for calling."));
    expect(a.some((s) => Math.abs(s) > 1000)).toBe(true);
    const frames = mulawFrames(a);
    expect(frames.length).toBe(Math.ceil(a.length / FRAME_SAMPLES));
    for (const f of frames) expect(f).toHaveLength(FRAME_SAMPLES);
  });
});
