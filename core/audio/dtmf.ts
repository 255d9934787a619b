import { mulawFrames, SAMPLE_RATE } from "./sandbox-tts";

// ITU-T Q.23 keypad: each key is one low (row) and one high (column) frequency.
const ROWS = [697, 770, 852, 941];
const COLS = [1209, 1336, 1477];
const KEYS = ["123", "456", "789", "*0#"];

export const DTMF_DIGITS = /^[0-9*#w]{1,32}$/;
const TONE_MS = 100;
const GAP_MS = 100;
const PAUSE_MS = 500; // `w`, as in Twilio's <Play digits>

export function keyFrequencies(key: string): [number, number] | undefined {
  const row = KEYS.findIndex((r) => r.includes(key));
  return row < 0 ? undefined : [ROWS[row]!, COLS[KEYS[row]!.indexOf(key)]!];
}

/**
 * In-band DTMF: Twilio Media Streams cannot send RFC 4733 digits, so keys are played as tones in
 * the outbound audio, which IVRs on the far end detect like a handset's (docs/decisions/0009).
 */
export function dtmfSpeech(digits: string): Int16Array {
  if (!DTMF_DIGITS.test(digits)) throw new Error("DTMF digits are 0-9, *, # and w (a half-second pause), at most 32");
  const ms = (n: number) => Math.round((SAMPLE_RATE * n) / 1000);
  const parts = [...digits].map((d) => (d === "w" ? ms(PAUSE_MS) : ms(TONE_MS) + ms(GAP_MS)));
  const pcm = new Int16Array(parts.reduce((a, b) => a + b, 0));
  let at = 0;
  [...digits].forEach((d, i) => {
    const f = keyFrequencies(d);
    if (f)
      for (let n = 0; n < ms(TONE_MS); n++) {
        const t = n / SAMPLE_RATE;
        pcm[at + n] = Math.round(7000 * (Math.sin(2 * Math.PI * f[0] * t) + Math.sin(2 * Math.PI * f[1] * t)));
      }
    at += parts[i]!;
  });
  return pcm;
}

export const dtmfFrames = (digits: string) => mulawFrames(dtmfSpeech(digits));
