import { encodeMulaw } from "./mulaw";

export const SAMPLE_RATE = 8000;
export const FRAME_SAMPLES = 160; // 20 ms at 8 kHz, the frame size Twilio sends and expects

/**
 * SANDBOX text-to-speech: no provider, no key. It renders each word as a short tone whose pitch
 * follows the word, so the audio is deterministic, audible and as long as speech would be.
 */
export function sandboxSpeech(text: string): Int16Array {
  const words = text.split(/\s+/).filter(Boolean);
  const wordSamples = Math.round(SAMPLE_RATE * 0.24);
  const gapSamples = Math.round(SAMPLE_RATE * 0.06);
  const pcm = new Int16Array(words.length * (wordSamples + gapSamples));
  words.forEach((word, w) => {
    let hash = 0;
    for (const ch of word) hash = (hash * 31 + (ch.codePointAt(0) ?? 0)) % 997;
    const freq = 180 + (hash % 240);
    const start = w * (wordSamples + gapSamples);
    for (let i = 0; i < wordSamples; i++) {
      const envelope = Math.sin((Math.PI * i) / wordSamples);
      pcm[start + i] = Math.round(9000 * envelope * Math.sin((2 * Math.PI * freq * i) / SAMPLE_RATE));
    }
  });
  return pcm;
}

/** Splits μ-law audio into 20 ms frames, padding the last with silence (0xff). */
export function mulawFrames(pcm: Int16Array): Uint8Array[] {
  const bytes = encodeMulaw(pcm);
  const frames: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += FRAME_SAMPLES) {
    const frame = new Uint8Array(FRAME_SAMPLES).fill(0xff);
    frame.set(bytes.subarray(i, i + FRAME_SAMPLES));
    frames.push(frame);
  }
  return frames;
}
