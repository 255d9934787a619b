import { encodeMulaw } from "../../core/audio/mulaw";
import { msToSamples, noise, samplesToMs, spokenWord } from "./synth";

/** A word of the caller's audio and where it is, in ms from the clip's first sample. */
/** `punctuated`: the word as a recogniser that punctuates writes it ("Tuesday."), per the script. */
export type TimedWord = { word: string; punctuated?: string; startMs: number; endMs: number };
type Part =
  | { say: string; word?: string; punctuated?: string }
  | { pauseMs: number }
  | { noise: "whitenoise" | "pinknoise" | "brownnoise"; seconds: number; peakDb: number };

export type ScenarioKind = "backchannel" | "interruption" | "noise" | "echo" | "silence" | "endpointing" | "tool";
/** What each kind of scenario should lead to (the goals): the measure checks these. */
export const EXPECTED: Record<ScenarioKind, string> = {
  backchannel: "the agent's line is not cut for good",
  noise: "the agent's line is not cut for good",
  echo: "the agent's line is not cut for good",
  silence: "the agent's line plays through (control)",
  interruption: "the agent stops within 1 s (goal: 300 ms) and answers the caller",
  endpointing: "the agent answers once, after the caller's last word",
  tool: "the caller is answered after the slow tool, with as little dead air as possible",
};
export type Scenario = {
  name: string;
  kind: ScenarioKind;
  /** `line`: heard while the agent's long line plays; `after`: the caller's turn once the agent is quiet. */
  during: "line" | "after";
  parts: Part[];
  /** Speakerphone: the caller's channel carries what the agent is playing, this late and this much quieter. */
  echo?: { delayMs: number; attenuationDb: number };
};
export type Clip = { mulaw: Uint8Array; words: TimedWord[]; durationMs: number };

// Between the words of one phrase, as people run them together.
const WORD_GAP_MS = 70;
// Scripts are written as Deepgram's smart_format would return them: capitals and the final mark only
// where the sentence ends (https://developers.deepgram.com/docs/smart-format).
const say = (text: string) =>
  text.split(" ").map((w) => ({ say: w, word: w.replace(/[^\w'-]/g, "").toLowerCase(), punctuated: w }));
const slowly = (text: string, gapMs: number) =>
  say(text)
    .flatMap((w) => [w, { pauseMs: gapMs }])
    .slice(0, -1);

/** The caller's question that the agent answers with its long line. */
export const question: Scenario = {
  name: "question",
  kind: "endpointing",
  during: "after",
  parts: say("What are your hours?"),
};

export const scenarios: Scenario[] = [
  ...["mhm", "yeah", "okay", "right", "uh-huh"].map(
    (w): Scenario => ({
      name: `backchannel-${w}`,
      kind: "backchannel",
      during: "line",
      parts: [{ say: w === "mhm" ? "mm-hmm" : w, word: w, punctuated: `${w[0]!.toUpperCase()}${w.slice(1)}.` }],
    }),
  ),
  { name: "interrupt-wait", kind: "interruption", during: "line", parts: say("Wait, can I ask something else?") },
  { name: "interrupt-no-stop", kind: "interruption", during: "line", parts: say("No, stop.") },
  {
    name: "noise-cough",
    kind: "noise",
    during: "line",
    parts: [
      { noise: "brownnoise", seconds: 0.22, peakDb: -3 },
      { pauseMs: 120 },
      { noise: "brownnoise", seconds: 0.18, peakDb: -5 },
    ],
  },
  { name: "noise-burst", kind: "noise", during: "line", parts: [{ noise: "pinknoise", seconds: 0.5, peakDb: -6 }] },
  { name: "noise-street", kind: "noise", during: "line", parts: [{ noise: "brownnoise", seconds: 2, peakDb: -12 }] },
  { name: "echo-100ms-10dB", kind: "echo", during: "line", parts: [], echo: { delayMs: 100, attenuationDb: 10 } },
  { name: "echo-250ms-15dB", kind: "echo", during: "line", parts: [], echo: { delayMs: 250, attenuationDb: 15 } },
  { name: "silence", kind: "silence", during: "line", parts: [{ pauseMs: 1500 }] },
  { name: "turn-plain", kind: "endpointing", during: "after", parts: say("Can I book a table?") },
  {
    name: "turn-long-pause",
    kind: "endpointing",
    during: "after",
    parts: [...say("I'd like to book"), { pauseMs: 1200 }, ...say("for Tuesday.")],
  },
  {
    name: "turn-slow-number",
    kind: "endpointing",
    during: "after",
    parts: [
      ...say("My number is"),
      { pauseMs: 400 },
      ...slowly("five five five", 500),
      { pauseMs: 900 },
      ...slowly("one two.", 500),
    ],
  },
  { name: "slow-tool", kind: "tool", during: "after", parts: say("Is my order ready?") },
];

/** The clip's audio (8 kHz μ-law) and its exact word timings: words are synthesised one by one. */
export function buildClip(s: Scenario): Clip {
  const pieces: Int16Array[] = [];
  const words: TimedWord[] = [];
  let at = 0;
  let previous: Part | undefined;
  for (const part of s.parts) {
    if ("say" in part && previous && "say" in previous) {
      pieces.push(new Int16Array(msToSamples(WORD_GAP_MS)));
      at += msToSamples(WORD_GAP_MS);
    }
    const pcm =
      "say" in part
        ? spokenWord(part.say)
        : "noise" in part
          ? noise(part.noise, part.seconds, part.peakDb)
          : new Int16Array(msToSamples(part.pauseMs));
    if ("say" in part)
      words.push({
        word: part.word ?? part.say,
        punctuated: part.punctuated,
        startMs: samplesToMs(at),
        endMs: samplesToMs(at + pcm.length),
      });
    pieces.push(pcm);
    at += pcm.length;
    previous = part;
  }
  const all = new Int16Array(at);
  let o = 0;
  for (const p of pieces) {
    all.set(p, o);
    o += p.length;
  }
  return { mulaw: encodeMulaw(all), words, durationMs: samplesToMs(at) };
}

/** What a recogniser hears the clip as: the words, in order. */
/** What the agent is told the caller said: the recogniser punctuates (our Deepgram client asks for smart_format). */
export const transcriptOf = (clip: Clip) => clip.words.map((w) => w.punctuated ?? w.word).join(" ");
