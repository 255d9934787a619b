/**
 * The WAV that espeak-ng writes (RIFF, PCM 16-bit mono, 22 050 Hz) read as samples, and any PCM
 * rate brought down to the 8 kHz of a call. Written to stdout, espeak-ng cannot seek back, so its
 * RIFF and data sizes are placeholders (0x7ffff…): the data runs to the end of what was read.
 */
export type Wav = { sampleRate: number; samples: Int16Array };

export function parseWav(bytes: Uint8Array): Wav | null {
  if (bytes.length < 12) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tag = (at: number) => String.fromCharCode(...bytes.subarray(at, at + 4));
  if (tag(0) !== "RIFF" || tag(8) !== "WAVE") return null;
  let sampleRate = 0;
  for (let at = 12; at + 8 <= bytes.length; ) {
    const id = tag(at);
    const size = view.getUint32(at + 4, true);
    const body = at + 8;
    if (id === "fmt ") {
      if (body + 16 > bytes.length) return null;
      const format = view.getUint16(body, true);
      const channels = view.getUint16(body + 2, true);
      const bits = view.getUint16(body + 14, true);
      if (format !== 1 || channels !== 1 || bits !== 16) return null;
      sampleRate = view.getUint32(body + 4, true);
      if (sampleRate < 8000 || sampleRate > 192_000) return null;
    } else if (id === "data") {
      if (!sampleRate) return null;
      const end = Math.min(bytes.length, body + size);
      const count = Math.floor((end - body) / 2);
      const samples = new Int16Array(count);
      for (let i = 0; i < count; i++) samples[i] = view.getInt16(body + i * 2, true);
      return { sampleRate, samples };
    }
    at = body + size + (size % 2);
  }
  return null;
}

/**
 * Resamples to `to` Hz: a windowed-sinc low-pass at the new Nyquist (so nothing above 4 kHz folds
 * back into the band as hiss), evaluated at each output instant. Cheap enough for a sandbox.
 */
export function resample(samples: Int16Array, from: number, to: number): Int16Array {
  if (from === to) return samples.slice();
  const ratio = from / to;
  const cutoff = Math.min(1, to / from) * 0.9; // of the input's Nyquist
  const half = Math.ceil(8 * Math.max(1, ratio));
  const out = new Int16Array(Math.floor(samples.length / ratio));
  for (let n = 0; n < out.length; n++) {
    const centre = n * ratio;
    const first = Math.max(0, Math.ceil(centre - half));
    const last = Math.min(samples.length - 1, Math.floor(centre + half));
    let sum = 0;
    let weights = 0;
    for (let k = first; k <= last; k++) {
      const x = k - centre;
      const sinc = x === 0 ? 1 : Math.sin(Math.PI * cutoff * x) / (Math.PI * cutoff * x);
      const window = 0.5 + 0.5 * Math.cos((Math.PI * x) / (half + 1));
      const w = sinc * window;
      sum += samples[k]! * w;
      weights += w;
    }
    out[n] = Math.max(-32768, Math.min(32767, Math.round(weights ? sum / weights : 0)));
  }
  return out;
}
