import { keyFrequencies } from "../../core/audio/dtmf";

const KEYS = "0123456789*#";

/** Power at one frequency (Goertzel), for checking what a far-end IVR would hear. */
function power(block: Int16Array, freq: number, rate = 8000) {
  const k = 2 * Math.cos((2 * Math.PI * freq) / rate);
  let s1 = 0;
  let s2 = 0;
  for (const x of block) {
    const s = x + k * s1 - s2;
    s2 = s1;
    s1 = s;
  }
  return s1 * s1 + s2 * s2 - k * s1 * s2;
}

/** Keys heard in 8 kHz audio, 20 ms blocks; a key counts once until silence or another key. */
export function detectDtmf(pcm: Int16Array): string {
  let out = "";
  let last = "";
  for (let at = 0; at + 160 <= pcm.length; at += 160) {
    const block = pcm.subarray(at, at + 160);
    const energy = block.reduce((a, x) => a + x * x, 0);
    let key = "";
    if (energy > 160 * 1000 * 1000) {
      const scored = [...KEYS].map((k) => {
        const [lo, hi] = keyFrequencies(k)!;
        return { k, p: Math.min(power(block, lo), power(block, hi)) };
      });
      scored.sort((a, b) => b.p - a.p);
      if (scored[0]!.p > 4 * scored[1]!.p) key = scored[0]!.k;
    }
    if (key && key !== last) out += key;
    last = key;
  }
  return out;
}
