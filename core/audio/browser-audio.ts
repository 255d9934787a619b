import { linearToMulaw } from "./mulaw";
import { FRAME_SAMPLES } from "./sandbox-tts";

/**
 * Browser microphone audio (16 kHz 16-bit little-endian PCM, any chunk size) into the pipeline's
 * 20 ms μ-law 8 kHz frames: each output sample averages two input samples (a simple low-pass
 * against aliasing), so web calls and phone calls share one pipeline (docs/decisions/0010).
 */
export function pcm16kToMulawFrames() {
  const frame = new Uint8Array(FRAME_SAMPLES);
  let filled = 0;
  let odd: number | null = null;
  let carry: Uint8Array | null = null; // a sample's first byte, when a chunk ends mid-sample
  return (input: Uint8Array, emit: (frame: Uint8Array) => void) => {
    let chunk = input;
    if (carry) {
      chunk = new Uint8Array(carry.length + input.length);
      chunk.set(carry);
      chunk.set(input, carry.length);
      carry = null;
    }
    const even = chunk.length - (chunk.length % 2);
    if (even < chunk.length) carry = chunk.slice(even);
    for (let i = 0; i < even; i += 2) {
      const s = ((chunk[i + 1]! << 24) | (chunk[i]! << 16)) >> 16;
      if (odd === null) {
        odd = s;
        continue;
      }
      frame[filled++] = linearToMulaw((odd + s) / 2);
      odd = null;
      if (filled === FRAME_SAMPLES) {
        emit(frame.slice());
        filled = 0;
      }
    }
  };
}
