import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { encodeMulaw } from "../core/audio/mulaw";
import { voiced } from "./voicing";

const frames = (pcm: Int16Array) =>
  Array.from({ length: Math.floor(pcm.length / 160) }, (_, i) => encodeMulaw(pcm.subarray(i * 160, i * 160 + 160)));
const share = (pcm: Int16Array) => {
  const f = frames(pcm);
  let yes = 0;
  for (let i = 1; i < f.length; i++) if (voiced(f[i - 1]!, f[i]!)) yes++;
  return yes / (f.length - 1);
};
/** Seeded noise, so the test is the same every run: white, and brown (integrated white: traffic's rumble). */
function noise(kind: "white" | "brown", seconds: number, seed = 7) {
  let s = seed;
  const rand = () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return (s / 2 ** 31) * 2 - 1;
  };
  let level = 0;
  return Int16Array.from({ length: seconds * 8000 }, () => {
    level = kind === "brown" ? Math.max(-1, Math.min(1, level * 0.995 + rand() * 0.08)) : rand();
    return Math.round(level * 12000);
  });
}
const tone = (hz: number, seconds: number) =>
  Int16Array.from({ length: seconds * 8000 }, (_, i) => Math.round(9000 * Math.sin((2 * Math.PI * hz * i) / 8000)));
/** A glottal-pulse-like voice: a 120 Hz pulse train through a resonance, as a vowel is made. */
const vowel = (seconds: number) => {
  let y1 = 0;
  let y2 = 0;
  return Int16Array.from({ length: seconds * 8000 }, (_, i) => {
    const pulse = i % Math.round(8000 / 120) === 0 ? 20000 : 0;
    const y = pulse + 1.6 * y1 - 0.9 * y2;
    y2 = y1;
    y1 = y;
    return Math.max(-32768, Math.min(32767, Math.round(y * 0.3)));
  });
};

function has(tool: string) {
  try {
    execFileSync("which", [tool]);
    return true;
  } catch {
    return false;
  }
}

describe("the voicing check", () => {
  it("hears a voice in periodic sound, and none in noise", () => {
    expect(share(vowel(1))).toBeGreaterThan(0.9);
    expect(share(tone(440, 1))).toBeGreaterThan(0.9);
    expect(share(noise("white", 1))).toBeLessThan(0.1);
    expect(share(noise("brown", 1))).toBeLessThan(0.1);
  });
  // Skipped only where espeak-ng or sox is missing: .ci/run installs both, so CI always runs it.
  it.skipIf(!has("espeak-ng") || !has("sox"))("hears espeak-ng's speech as voiced and sox's noise as not", () => {
    const raw = (args: string[], input?: Buffer) => execFileSync("sox", args, { input, maxBuffer: 1 << 24 });
    const wav = execFileSync("espeak-ng", ["-v", "en-us", "--stdout", "mm-hmm, yeah, okay, wait a moment"]);
    const pcm = (b: Buffer) => new Int16Array(b.buffer, b.byteOffset, b.length / 2);
    const speech = pcm(
      raw(["-t", "wav", "-", "-t", "raw", "-r", "8000", "-e", "signed", "-b", "16", "-c", "1", "-"], wav),
    );
    const loud = frames(speech).filter((f) => f.some((b) => (b & 0x7f) < 0x40));
    let yes = 0;
    for (let i = 1; i < loud.length; i++) if (voiced(loud[i - 1]!, loud[i]!)) yes++;
    expect(yes / loud.length).toBeGreaterThan(0.5);
    for (const kind of ["brownnoise", "pinknoise", "whitenoise"]) {
      const n = pcm(
        raw([
          "-n",
          "-t",
          "raw",
          "-r",
          "8000",
          "-e",
          "signed",
          "-b",
          "16",
          "-c",
          "1",
          "-",
          "synth",
          "1",
          kind,
          "vol",
          "0.5",
        ]),
      );
      expect(share(n), kind).toBeLessThan(0.15);
    }
  });
});
