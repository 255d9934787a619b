import { mulawToLinear } from "../core/audio/mulaw";

// Squared sample value of every μ-law byte (at most 32 124², within 32 bits): a frame's energy is
// 160 integer look-ups and adds, no decoding, and compared squared, with no square root.
const SQUARED = Uint32Array.from({ length: 256 }, (_, b) => mulawToLinear(b) ** 2);

/** A μ-law frame's mean squared 16-bit sample: its energy, on the same scale as `threshold²`. */
export function meanSquare(frame: Uint8Array) {
  let sum = 0;
  for (let i = 0; i < frame.length; i++) sum += SQUARED[frame[i]!]!;
  return frame.length ? sum / frame.length : 0;
}

/**
 * A small energy voice-activity detector on 20 ms μ-law frames: speech is `minFrames` frames in a
 * row above `threshold` (RMS of 16-bit samples). Sensitivity trades false barge-ins for speed.
 */
export function createVad({ threshold = 1200, minFrames = 3 } = {}) {
  let run = 0;
  const bar = threshold * threshold;
  return {
    /** Whether the last frame pushed was above the threshold. */
    loud: false,
    /** True on the frame where speech is first confirmed, then false until silence resets it. */
    push(frame: Uint8Array): boolean {
      let sum = 0;
      for (let i = 0; i < frame.length; i++) sum += SQUARED[frame[i]!]!;
      const loud = sum >= bar * frame.length;
      this.loud = loud;
      run = loud ? run + 1 : 0;
      return run === minFrames;
    },
  };
}

/** Agent setting 0 (hard to interrupt) to 1 (interrupts on anything) → VAD thresholds. */
export const vadForSensitivity = (s: number) => ({
  threshold: Math.round(3000 - 2400 * s),
  minFrames: s > 0.7 ? 2 : 4,
});
