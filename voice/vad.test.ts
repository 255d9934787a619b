import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { encodeMulaw, mulawToLinear } from "../core/audio/mulaw";
import { createVad, vadForSensitivity } from "./vad";

const tone = (amp: number) =>
  encodeMulaw(Int16Array.from({ length: 160 }, (_, i) => Math.round(amp * Math.sin((2 * Math.PI * 300 * i) / 8000))));
const silence = new Uint8Array(160).fill(0xff);

describe("the energy VAD", () => {
  it("confirms speech once, after enough loud frames in a row", () => {
    const vad = createVad({ threshold: 1000, minFrames: 3 });
    expect([silence, tone(8000), tone(8000), tone(8000), tone(8000)].map((f) => vad.push(f))).toEqual([
      false,
      false,
      false,
      true,
      false,
    ]);
    expect(vad.loud).toBe(true);
    vad.push(silence);
    expect(vad.loud).toBe(false);
  });
  it("ignores quiet noise and a single click", () => {
    const vad = createVad({ threshold: 1000, minFrames: 3 });
    expect([tone(300), tone(300), tone(8000), silence, tone(8000), silence].some((f) => vad.push(f))).toBe(false);
  });
  it("maps sensitivity to thresholds: more sensitive means a lower bar", () => {
    expect(vadForSensitivity(1).threshold).toBeLessThan(vadForSensitivity(0).threshold);
  });
});

describe("the energy VAD's integer arithmetic", () => {
  it("calls a frame loud exactly when its RMS reaches the threshold", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 320 }),
        fc.integer({ min: 1, max: 32_000 }),
        (frame, threshold) => {
          const rms = Math.sqrt(frame.reduce((sum, b) => sum + mulawToLinear(b) ** 2, 0) / frame.length);
          const vad = createVad({ threshold, minFrames: 1 });
          vad.push(frame);
          // Off by a hair only where floating point rounding decides it.
          if (Math.abs(rms - threshold) > 1e-6) expect(vad.loud).toBe(rms >= threshold);
        },
      ),
    );
  });
});
