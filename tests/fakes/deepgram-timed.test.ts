import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type HeardWord, timedRecogniser, timedScript } from "./deepgram-timed";

type Msg = {
  type: string;
  at: number;
  is_final?: boolean;
  speech_final?: boolean;
  channel?: { alternatives: { transcript: string }[] };
};
const opts = { endpointingMs: 300, utteranceEndMs: 1000, delayMs: 100 };

/** Words with gaps between them (some longer than the endpointing), from `gaps` and `lengths`. */
const wordsArb = fc
  .array(fc.record({ gap: fc.integer({ min: 20, max: 1500 }), length: fc.integer({ min: 100, max: 600 }) }), {
    minLength: 1,
    maxLength: 12,
  })
  .map((parts) => {
    let at = 200;
    return parts.map(({ gap, length }, i): HeardWord => {
      const w = { word: `w${i}`, startMs: at + gap, endMs: at + gap + length };
      at = w.endMs;
      return w;
    });
  });

/** Feeds the recogniser 20 ms frames up to `untilMs`, collecting what it sends with the audio time. */
function hear(words: HeardWord[], untilMs: number) {
  const script = timedScript();
  script.add(words);
  const sent: Msg[] = [];
  let now = 0;
  const recognise = timedRecogniser(script, (m) => sent.push({ ...(m as Msg), at: now }), opts);
  for (now = 20; now <= untilMs; now += 20) recognise(now);
  return sent;
}

describe("the Deepgram fake's timed recogniser", () => {
  it("hears every word once, in order, and ends each utterance only after `endpointing` ms with no word begun", () => {
    fc.assert(
      fc.property(wordsArb, (words) => {
        const sent = hear(words, words.at(-1)!.endMs + 2000);
        const finals = sent.filter((m) => m.type === "Results" && m.speech_final);
        const heard = finals.flatMap((m) => m.channel!.alternatives[0]!.transcript.split(" "));
        expect(heard).toEqual(words.map((w) => w.word));
        for (const f of finals) {
          const last = words.find((w) => w.word === f.channel!.alternatives[0]!.transcript.split(" ").at(-1))!;
          expect(f.is_final).toBe(true);
          expect(f.at).toBeGreaterThanOrEqual(last.endMs + opts.endpointingMs);
          const next = words[words.indexOf(last) + 1];
          if (next) expect(next.startMs).toBeGreaterThan(last.endMs + opts.endpointingMs - 20);
        }
        // An interim for a word comes no sooner than its end plus the recogniser's delay.
        for (const m of sent.filter((x) => x.type === "Results" && !x.is_final)) {
          const last = m.channel!.alternatives[0]!.transcript.split(" ").at(-1)!;
          expect(m.at).toBeGreaterThanOrEqual(words.find((w) => w.word === last)!.endMs + opts.delayMs);
        }
        expect(sent.filter((m) => m.type === "UtteranceEnd").length).toBeGreaterThanOrEqual(1);
      }),
    );
  });

  it("says nothing for audio without words (a cough, noise, echo)", () => {
    expect(hear([], 5000)).toEqual([]);
  });
});
