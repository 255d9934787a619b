import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** 8 kHz, 16-bit signed, mono: what every clip is built in before it becomes μ-law. */
export const RATE = 8000;
const RAW = ["-r", "8000", "-b", "16", "-e", "signed", "-c", "1", "-t", "raw"];

// Generated at test time, never committed: a cache keyed by the exact commands, so a second run is instant.
const CACHE = process.env.BVRAI_TURNS_CACHE ?? join(tmpdir(), "bvrai-turns-corpus");

function cached(key: string[], make: () => Buffer): Int16Array {
  const file = join(CACHE, `${createHash("sha256").update(key.join("\0")).digest("hex").slice(0, 24)}.s16`);
  if (!existsSync(file)) {
    mkdirSync(CACHE, { recursive: true });
    writeFileSync(file, make());
  }
  const bytes = readFileSync(file);
  return new Int16Array(bytes.buffer, bytes.byteOffset, bytes.length / 2);
}

const run = (cmd: string, args: string[], input?: Buffer) =>
  execFileSync(cmd, args, { input, maxBuffer: 64 * 1024 * 1024, stdio: ["pipe", "pipe", "pipe"] });

/**
 * One word said by espeak-ng (en-us), resampled to 8 kHz and trimmed of its leading and trailing
 * silence by sox, at a caller's level (peak −3 dBFS): its sample count is the word's exact duration.
 */
export function spokenWord(say: string, wordsPerMinute = 190): Int16Array {
  const espeak = ["-v", "en-us", "-s", String(wordsPerMinute), "--stdout", say];
  const sox = ["-t", "wav", "-", ...RAW, "-", ...trimAndLevel];
  return cached(["espeak-ng", ...espeak, "sox", ...sox], () => run("sox", sox, run("espeak-ng", espeak)));
}
const trimAndLevel = ["silence", "1", "0.01", "0.5%", "reverse", "silence", "1", "0.01", "0.5%", "reverse"];
trimAndLevel.push("gain", "-n", "-3");

/** sox's synthesiser: `noise` is white, pink or brown, shaped by a fade, at a peak level in dBFS. */
export function noise(kind: "whitenoise" | "pinknoise" | "brownnoise", seconds: number, peakDb: number) {
  const fade = Math.min(0.03, seconds / 4);
  const args = ["-n", ...RAW, "-", "synth", String(seconds), kind, "fade", "q", String(fade), String(seconds)];
  args.push(String(Math.min(seconds / 2, 0.15)), "gain", "-n", String(peakDb));
  return cached(["sox", ...args], () => run("sox", args));
}

export const msToSamples = (ms: number) => Math.round((ms * RATE) / 1000);
export const samplesToMs = (n: number) => (n * 1000) / RATE;

/** Both tools must be on the PATH (Debian: `apt-get install espeak-ng sox`, as .ci/run does). */
export function checkTools() {
  for (const [cmd, arg] of [
    ["espeak-ng", "--version"],
    ["sox", "--version"],
  ] as const) {
    try {
      run(cmd, [arg]);
    } catch {
      throw new Error(`${cmd} is needed to synthesise the turn-taking corpus: apt-get install espeak-ng sox`);
    }
  }
}
