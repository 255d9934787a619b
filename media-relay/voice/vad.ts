import { decodeMulaw } from "../../core/audio/mulaw";

/**
 * A small energy voice-activity detector on 20 ms μ-law frames: speech is `minFrames` frames in a
 * row above `threshold` (RMS of 16-bit samples). Sensitivity trades false barge-ins for speed.
 */
export function createVad({ threshold = 1200, minFrames = 3 } = {}) {
  let run = 0;
  return {
    /** Whether the last frame pushed was above the threshold. */
    loud: false,
    /** True on the frame where speech is first confirmed, then false until silence resets it. */
    push(frame: Uint8Array): boolean {
      const pcm = decodeMulaw(frame);
      let sum = 0;
      for (const s of pcm) sum += s * s;
      const loud = Math.sqrt(sum / pcm.length) >= threshold;
      this.loud = loud;
      run = loud ? run + 1 : 0;
      return run === minFrames;
    },
  };
}

/** Agent setting 0 (hard to interrupt) to 1 (interrupts on anything) → VAD thresholds. */
export const vadForSensitivity = (s: number) => ({ threshold: Math.round(3000 - 2400 * s), minFrames: s > 0.7 ? 2 : 4 });
