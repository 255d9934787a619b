import { describe, expect, it } from "vitest";
import { pcm16kToMulawFrames } from "./browser-audio";
import { decodeMulaw } from "./mulaw";

const pcm16k = (samples: number[]) => {
  const b = new Uint8Array(samples.length * 2);
  const v = new DataView(b.buffer);
  for (const [i, s] of samples.entries()) v.setInt16(i * 2, s, true);
  return b;
};

describe("browser microphone audio → μ-law 8 kHz frames", () => {
  it("makes one 160-byte frame per 20 ms, across chunks of any size (odd bytes included)", () => {
    const frames: Uint8Array[] = [];
    const push = pcm16kToMulawFrames();
    const second = pcm16k(
      Array.from({ length: 16000 }, (_, i) => Math.round(8000 * Math.sin((2 * Math.PI * 300 * i) / 16000))),
    );
    for (let at = 0; at < second.length; at += 333) push(second.subarray(at, at + 333), (f) => frames.push(f));
    expect(frames).toHaveLength(50);
    expect(frames.every((f) => f.length === 160)).toBe(true);
  });

  it("keeps a low tone's level and shape, and averages away content above 4 kHz", () => {
    const out: Uint8Array[] = [];
    const push = pcm16kToMulawFrames();
    push(
      pcm16k(Array.from({ length: 320 }, (_, i) => Math.round(8000 * Math.sin((2 * Math.PI * 250 * i) / 16000)))),
      (f) => out.push(f),
    );
    const tone = decodeMulaw(out[0]!);
    expect(Math.max(...tone)).toBeGreaterThan(7000);
    // 8 kHz alternating samples (the highest a 16 kHz stream holds) average to silence.
    push(pcm16k(Array.from({ length: 320 }, (_, i) => (i % 2 ? 8000 : -8000))), (f) => out.push(f));
    expect(Math.max(...decodeMulaw(out[1]!).map(Math.abs))).toBeLessThan(16);
  });
});
