import { encodeMulaw } from "../core/audio/mulaw";
import { SAMPLE_RATE, sandboxSpeech } from "../core/audio/sandbox-tts";
import { parseWav, resample } from "../core/audio/wav";
import { fieldLogger, serviceLogger } from "../core/telemetry";
import { type EspeakVoice, espeakAvailable, espeakWav } from "./espeak";
import type { TextToSpeech } from "./types";

const log = fieldLogger(serviceLogger("sandbox"));

/** The sandbox voices as eSpeak NG voices; any other voice id (a vendor's) speaks as the first. */
const VOICES: Record<string, EspeakVoice> = {
  "sandbox-alloy": { name: "en-us", pitch: 45, wordsPerMinute: 165 },
  "sandbox-verse": { name: "en-gb+f3", pitch: 60, wordsPerMinute: 160 },
};
export const espeakVoiceFor = (voice: string) => VOICES[voice] ?? VOICES["sandbox-alloy"]!;

const SENTENCE_DEADLINE_MS = 10_000;
const SENTENCE_MAX_BYTES = 4 * 1024 * 1024; // about 95 s of 22 050 Hz speech: far beyond a sentence

/**
 * SANDBOX text-to-speech: words spoken by eSpeak NG when `espeak-ng` runs here, else tones (said
 * once in the log). A sentence espeak-ng fails on (deadline, size cap, crash) is said in tones.
 */
export function sandboxTts(
  opts: { binary?: string } = {},
): TextToSpeech & { engine(): Promise<"espeak-ng" | "tones"> } {
  const binary = opts.binary ?? "espeak-ng";
  let told = false;
  const engine = async () => {
    const ok = await espeakAvailable(binary);
    if (!ok && !told) {
      told = true;
      log({
        level: "warn",
        msg: "SANDBOX speech is tones: eSpeak NG was not found (install espeak-ng to hear the agent's words)",
        binary,
      });
    }
    return ok ? ("espeak-ng" as const) : ("tones" as const);
  };
  return {
    engine,
    async *synthesize(text, { voice, signal }) {
      const speaks = (await engine()) === "espeak-ng";
      for await (const sentence of text) {
        if (signal.aborted) return;
        if (!sentence.trim()) continue;
        const pcm = speaks ? await spoken(binary, sentence, voice, signal) : sandboxSpeech(sentence);
        if (signal.aborted) return;
        yield encodeMulaw(pcm ?? sandboxSpeech(sentence));
      }
    },
  };
}

async function spoken(binary: string, sentence: string, voice: string, signal: AbortSignal) {
  try {
    const wav = parseWav(
      await espeakWav(binary, sentence, espeakVoiceFor(voice), {
        deadlineMs: SENTENCE_DEADLINE_MS,
        maxBytes: SENTENCE_MAX_BYTES,
        signal,
      }),
    );
    if (!wav) throw new Error("espeak-ng wrote no WAV we read");
    return resample(wav.samples, wav.sampleRate, SAMPLE_RATE);
  } catch (err) {
    if (!signal.aborted) log({ level: "warn", msg: "espeak-ng failed: this sentence is tones", err: String(err) });
    return null;
  }
}
