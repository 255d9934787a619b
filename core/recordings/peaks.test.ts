import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MAX_BUCKETS, peakScanner, wavLayout, wavPeaks } from "./peaks";

/** A 16-bit PCM WAV of interleaved samples, as Twilio writes a two-channel recording. */
function wav(samples: Int16Array, channels: number, rate = 8000) {
  const out = new Uint8Array(44 + samples.byteLength);
  const v = new DataView(out.buffer);
  out.set(new TextEncoder().encode("RIFF"), 0);
  v.setUint32(4, 36 + samples.byteLength, true);
  out.set(new TextEncoder().encode("WAVEfmt "), 8);
  v.setUint32(16, 16, true);
  v.setUint16(20, 1, true);
  v.setUint16(22, channels, true);
  v.setUint32(24, rate, true);
  v.setUint32(28, rate * 2 * channels, true);
  v.setUint16(32, 2 * channels, true);
  v.setUint16(34, 16, true);
  out.set(new TextEncoder().encode("data"), 36);
  v.setUint32(40, samples.byteLength, true);
  out.set(new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength), 44);
  return out;
}

const audio = fc
  .record({ channels: fc.integer({ min: 1, max: 2 }), frames: fc.integer({ min: 0, max: 2000 }) })
  .chain(({ channels, frames }) =>
    fc.record({
      channels: fc.constant(channels),
      samples: fc.array(fc.integer({ min: -32768, max: 32767 }), {
        minLength: channels * frames,
        maxLength: channels * frames,
      }),
    }),
  );

describe("peaks of a recording", () => {
  it("has at most the buckets asked for, and each bucket's peak is at least every sample in it", () => {
    fc.assert(
      fc.property(audio, fc.integer({ min: 0, max: 5000 }), ({ channels, samples }, wanted) => {
        const frames = samples.length / channels;
        const p = wavPeaks(wav(Int16Array.from(samples), channels), wanted);
        if ("error" in p) throw new Error(p.error);
        const buckets = p.channels[0]!.length;
        expect(buckets).toBeLessThanOrEqual(Math.min(wanted, MAX_BUCKETS, frames));
        expect(p.channels).toHaveLength(channels);
        const below: string[] = [];
        for (let f = 0; buckets && f < frames; f++) {
          const b = Math.floor((f * buckets) / frames);
          for (let c = 0; c < channels; c++)
            if (p.channels[c]![b]! < Math.abs(samples[f * channels + c]!)) below.push(`frame ${f} channel ${c}`);
        }
        expect(below).toEqual([]);
        expect(Math.max(0, ...p.channels.flat())).toBeLessThanOrEqual(32768);
      }),
    );
  });

  it("is the same read whole or streamed in pieces of any length, split mid-sample", () => {
    fc.assert(
      fc.property(audio, fc.array(fc.integer({ min: 1, max: 97 }), { minLength: 1 }), (a, cuts) => {
        const file = wav(Int16Array.from(a.samples), a.channels);
        const whole = wavPeaks(file, 600);
        const layout = wavLayout(file.subarray(0, 4096), file.length);
        if ("error" in layout || "error" in whole) throw new Error("a valid file was refused");
        const scan = peakScanner(layout, 600);
        const data = file.subarray(layout.dataOffset);
        for (let at = 0, i = 0; at < data.length; i++) {
          const n = cuts[i % cuts.length]!;
          scan.push(data.subarray(at, at + n), at);
          at += n;
        }
        expect(scan.peaks()).toEqual(whole);
      }),
    );
  });

  it("answers an error, never a throw, for bytes that are not a WAV or are cut short anywhere", () => {
    const good = wav(Int16Array.from([1, -2, 300, -400, 5, 6]), 2);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.integer({ min: 0, max: 60 }), (junk, cut) => {
        for (const bytes of [junk, good.subarray(0, cut), Uint8Array.from([...good.subarray(0, 12), ...junk])]) {
          const p = wavPeaks(bytes, 600);
          if ("error" in p) expect(p.error).toMatch(/\w/);
          else for (const ch of p.channels) expect(ch.length).toBeLessThanOrEqual(600);
        }
      }),
    );
    expect(wavPeaks(new Uint8Array(0), 600)).toEqual({ error: "too short to be a WAV file" });
    expect(wavPeaks(new TextEncoder().encode("RIFF1234WAVEjunk"), 600)).toEqual({
      error: "no audio data in the file's first bytes",
    });
  });

  it("gives an empty waveform for a recording with no samples, and ignores an odd trailing byte", () => {
    expect(wavPeaks(wav(new Int16Array(0), 2), 600)).toEqual({ durationMs: 0, channels: [[], []] });
    const odd = Uint8Array.from([...wav(Int16Array.from([100, -200, 300, -400]), 2), 0x7f]);
    const p = wavPeaks(odd, 600);
    expect(p).toEqual({
      durationMs: 0,
      channels: [
        [100, 300],
        [200, 400],
      ],
    });
  });

  it("keeps the file's real length when the header declares more data than there is", () => {
    const file = wav(
      Int16Array.from({ length: 16_000 }, (_, i) => (i % 2 ? 1000 : -500)),
      2,
    );
    const p = wavPeaks(file.subarray(0, 44 + 8000 * 2), 10);
    expect(p).toEqual({ durationMs: 500, channels: [Array(10).fill(500), Array(10).fill(1000)] });
  });
});
