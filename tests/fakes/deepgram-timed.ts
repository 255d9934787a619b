/** A word the caller says, at its place in the audio the recogniser receives (ms from its first frame). */
export type HeardWord = { word: string; punctuated?: string; startMs: number; endMs: number };

/** The words one connection will hear; more can be added while it runs, as the caller's audio is scheduled. */
export type TimedScript = { words: HeardWord[]; add(words: HeardWord[]): void };
export const timedScript = (): TimedScript => {
  const script: TimedScript = {
    words: [],
    add: (words) => {
      script.words.push(...words);
      script.words.sort((a, b) => a.startMs - b.startMs);
    },
  };
  return script;
};

type Send = (msg: Record<string, unknown>) => void;

/**
 * Deepgram's live results timed to the audio received, for a script of words with their times:
 * - interim `Results` (is_final false) as the audio received passes each word's end plus the
 *   recogniser's delay, each carrying the whole utterance so far
 *   (https://developers.deepgram.com/docs/interim-results);
 * - one `Results` with is_final and speech_final once `endpointing` ms of audio have passed after
 *   the last word with no word begun (https://developers.deepgram.com/docs/endpointing,
 *   https://developers.deepgram.com/docs/understand-endpointing-interim-results);
 * - `UtteranceEnd` with `last_word_end` once `utterance_end_ms` of audio have passed after the last
 *   word (https://developers.deepgram.com/docs/utterance-end).
 * Audio with no words (a cough, noise, echo) gives no results: SpeechStarted stays the energy
 * detector's (https://developers.deepgram.com/docs/speech-started). With `smart_format` (or
 * `punctuate`) the transcript is built from each word's `punctuated_word`
 * (https://developers.deepgram.com/docs/smart-format, https://developers.deepgram.com/docs/punctuation).
 */
export function timedRecogniser(
  script: TimedScript,
  send: Send,
  opts: { endpointingMs: number; utteranceEndMs: number; delayMs: number; punctuate?: boolean },
) {
  let next = 0; // the first word not yet recognised
  let utterance: HeardWord[] = [];
  let utteranceEndDue: number | null = null;
  const results = (words: HeardWord[], final: boolean) => {
    const shown = (w: HeardWord) => (opts.punctuate ? (w.punctuated ?? w.word) : w.word);
    const transcript = words.map(shown).join(" ");
    const start = words[0]!.startMs / 1000;
    send({
      type: "Results",
      channel_index: [0, 1],
      start,
      duration: words.at(-1)!.endMs / 1000 - start,
      is_final: final,
      speech_final: final,
      channel: {
        alternatives: [
          {
            transcript,
            confidence: 0.97,
            words: words.map((w) => ({
              word: w.word,
              ...(opts.punctuate ? { punctuated_word: shown(w) } : {}),
              start: w.startMs / 1000,
              end: w.endMs / 1000,
              confidence: 0.97,
            })),
          },
        ],
      },
    });
  };
  /** The recogniser has received audio up to `audioMs`. */
  return (audioMs: number) => {
    const words = script.words;
    let grew = false;
    while (next < words.length && words[next]!.endMs + opts.delayMs <= audioMs) {
      utterance.push(words[next++]!);
      grew = true;
    }
    if (grew) results(utterance, false);
    const last = utterance.at(-1);
    const begun = next < words.length && words[next]!.startMs <= audioMs;
    if (last && !begun && audioMs >= last.endMs + opts.endpointingMs) {
      results(utterance, true);
      utterance = [];
      utteranceEndDue = last.endMs + opts.utteranceEndMs;
    }
    if (utteranceEndDue !== null && (begun || utterance.length)) utteranceEndDue = null;
    if (utteranceEndDue !== null && audioMs >= utteranceEndDue) {
      send({ type: "UtteranceEnd", channel: [0, 1], last_word_end: (utteranceEndDue - opts.utteranceEndMs) / 1000 });
      utteranceEndDue = null;
    }
  };
}
