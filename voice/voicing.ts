import { mulawToLinear } from "../core/audio/mulaw";

const LINEAR = Int16Array.from({ length: 256 }, (_, b) => mulawToLinear(b));
// Pitch periods of 50–400 Hz at 8 kHz: what a voice has and noise has not.
const MIN_LAG = 20;
const MAX_LAG = 160;
const VOICED = 0.45;

/**
 * Whether two consecutive 20 ms μ-law frames hold a voice (docs/decisions/0042): the peak of the
 * normalised autocorrelation over pitch periods, on the first difference of the signal (which
 * whitens low-frequency noise such as traffic's, whose samples would otherwise correlate at every
 * lag). A vowel, a hum or "mhm" is periodic; a cough, a door or a street is not. At most about
 * 20,000 multiply-adds (less on a voice: it stops at the first period found), run only on loud
 * frames while the agent speaks; `npm run bench:relay` prints its cost.
 */
export function voiced(previous: Uint8Array, frame: Uint8Array) {
  const n = previous.length + frame.length - 1;
  const d = new Float32Array(n);
  let last = LINEAR[previous[0]!]!;
  for (let i = 1; i <= n; i++) {
    const s = LINEAR[(i < previous.length ? previous[i] : frame[i - previous.length])!]!;
    d[i - 1] = s - last;
    last = s;
  }
  let best = 0;
  for (let lag = MIN_LAG; lag <= Math.min(MAX_LAG, n - MIN_LAG); lag++) {
    let xy = 0;
    let xx = 0;
    let yy = 0;
    // Every other sample: half the cost, and a pitch period still lines up with itself.
    for (let i = 0; i + lag < n; i += 2) {
      const x = d[i]!;
      const y = d[i + lag]!;
      xy += x * y;
      xx += x * x;
      yy += y * y;
    }
    if (xx > 0 && yy > 0) best = Math.max(best, xy / Math.sqrt(xx * yy));
    if (best >= VOICED) return true;
  }
  return false;
}
