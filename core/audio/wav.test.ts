import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseWav, resample } from "./wav";

/** A RIFF/WAVE PCM 16-bit mono file; `streamed` writes sizes as espeak-ng does on a pipe (placeholders). */
function wav(samples: Int16Array, rate: number, opts: { streamed?: boolean; extraChunk?: boolean } = {}) {
  const extra = opts.extraChunk ? 8 + 3 + 1 : 0; // an odd-sized LIST chunk, padded to even
  const bytes = new Uint8Array(44 + extra + samples.length * 2);
  const view = new DataView(bytes.buffer);
  const put = (at: number, s: string) =>
    bytes.set(
      [...s].map((c) => c.charCodeAt(0)),
      at,
    );
  put(0, "RIFF");
  view.setUint32(4, opts.streamed ? 0x7ffff024 : bytes.length - 8, true);
  put(8, "WAVE");
  put(12, "fmt ");
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true);
  view.setUint16(22, 1, true);
  view.setUint32(24, rate, true);
  view.setUint32(28, rate * 2, true);
  view.setUint16(32, 2, true);
  view.setUint16(34, 16, true);
  let at = 36;
  if (opts.extraChunk) {
    put(at, "LIST");
    view.setUint32(at + 4, 3, true);
    at += extra;
  }
  put(at, "data");
  view.setUint32(at + 4, opts.streamed ? 0x7ffff000 : samples.length * 2, true);
  for (const [i, s] of samples.entries()) view.setInt16(at + 8 + i * 2, s, true);
  return bytes;
}
const tone = (freq: number, rate: number, seconds: number) =>
  Int16Array.from({ length: Math.round(rate * seconds) }, (_, i) =>
    Math.round(10000 * Math.sin((2 * Math.PI * freq * i) / rate)),
  );
const rms = (s: Int16Array, from = 0, to = s.length) => {
  let sum = 0;
  for (let i = from; i < to; i++) sum += s[i]! ** 2;
  return Math.sqrt(sum / Math.max(1, to - from));
};

describe("parseWav", () => {
  it("reads back the samples and rate it was given, sizes exact or streamed, with chunks it skips", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -32768, max: 32767 }), { maxLength: 400 }),
        fc.constantFrom(8000, 16000, 22050, 44100),
        fc.boolean(),
        fc.boolean(),
        (values, rate, streamed, extraChunk) => {
          const samples = Int16Array.from(values);
          expect(parseWav(wav(samples, rate, { streamed, extraChunk }))).toEqual({ sampleRate: rate, samples });
        },
      ),
    );
  });

  it("never throws on any bytes, and reads a cut-off stream up to its last whole sample", () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => void parseWav(bytes)));
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (tail) => {
        const whole = wav(Int16Array.from([1, -2, 3]), 22050, { streamed: true });
        const parsed = parseWav(Uint8Array.from([...whole, ...tail]));
        expect(parsed?.samples.length).toBe(3 + Math.floor(tail.length / 2));
      }),
    );
  });

  it("refuses what is not 16-bit mono PCM", () => {
    const stereo = wav(Int16Array.from([1, 2]), 22050);
    stereo[22] = 2;
    expect(parseWav(stereo)).toBeNull();
    expect(parseWav(new TextEncoder().encode("RIFF....WAVEdata"))).toBeNull();
    expect(parseWav(new Uint8Array(0))).toBeNull();
  });
});

describe("resample", () => {
  it("gives the new rate's number of samples and keeps a constant level", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -20000, max: 20000 }),
        fc.integer({ min: 0, max: 3000 }),
        fc.constantFrom(16000, 22050, 44100),
        (level, length, rate) => {
          const out = resample(new Int16Array(length).fill(level), rate, 8000);
          expect(out.length).toBe(Math.floor((length * 8000) / rate));
          for (const s of out) expect(Math.abs(s - level)).toBeLessThanOrEqual(1);
        },
      ),
    );
  });

  it("passes speech frequencies and removes those above 4 kHz instead of folding them back", () => {
    fc.assert(
      fc.property(fc.integer({ min: 200, max: 2500 }), (freq) => {
        const out = resample(tone(freq, 22050, 0.2), 22050, 8000);
        expect(rms(out, 100, out.length - 100)).toBeGreaterThan(0.8 * rms(tone(freq, 8000, 0.2)));
      }),
      { numRuns: 30 },
    );
    fc.assert(
      fc.property(fc.integer({ min: 5500, max: 11000 }), (freq) => {
        const out = resample(tone(freq, 22050, 0.2), 22050, 8000);
        expect(rms(out, 100, out.length - 100)).toBeLessThan(0.1 * 10000 * Math.SQRT1_2);
      }),
      { numRuns: 30 },
    );
  });
});
