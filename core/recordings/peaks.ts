/**
 * A recording's waveform: per channel, the loudest sample (absolute, 0..32768) of each of a few
 * hundred equal slices of the call. Read from a PCM WAV (what Twilio records: 16-bit, 8 kHz, one
 * channel per side) in one linear pass that takes the data in pieces of any length, so the portal
 * can stream a stored recording through it without holding it. Bad input is a value, never a throw.
 */
export type WavLayout = {
  channels: number;
  sampleRate: number;
  bytesPerSample: 1 | 2;
  /** Where the samples start, and how many whole frames the file really holds (a truncated file: fewer than declared). */
  dataOffset: number;
  frames: number;
};
export type Peaks = { durationMs: number; channels: number[][] };
export type PeaksError = { error: string };

export const MAX_BUCKETS = 2000;

/** The layout from the file's first bytes (the header; 4 KiB is plenty) and its whole size. */
export function wavLayout(head: Uint8Array, fileSize: number): WavLayout | PeaksError {
  if (head.length < 12) return { error: "too short to be a WAV file" };
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const tag = (at: number) => String.fromCharCode(...head.subarray(at, at + 4));
  if (tag(0) !== "RIFF" || tag(8) !== "WAVE") return { error: "not a WAV file" };
  let fmt: Omit<WavLayout, "dataOffset" | "frames"> | null = null;
  for (let at = 12; at + 8 <= head.length; ) {
    const id = tag(at);
    const size = view.getUint32(at + 4, true);
    const body = at + 8;
    if (id === "fmt ") {
      if (body + 16 > head.length) return { error: "the format chunk is cut short" };
      const format = view.getUint16(body, true);
      const channels = view.getUint16(body + 2, true);
      const sampleRate = view.getUint32(body + 4, true);
      const bits = view.getUint16(body + 14, true);
      if (format !== 1 || (bits !== 8 && bits !== 16)) return { error: "not 8- or 16-bit PCM audio" };
      if (channels < 1 || channels > 8 || sampleRate < 1000 || sampleRate > 192_000)
        return { error: "an implausible channel count or sample rate" };
      fmt = { channels, sampleRate, bytesPerSample: bits === 8 ? 1 : 2 };
    } else if (id === "data") {
      if (!fmt) return { error: "the samples come before their format" };
      const available = Math.max(0, Math.min(size, fileSize - body));
      return { ...fmt, dataOffset: body, frames: Math.floor(available / (fmt.channels * fmt.bytesPerSample)) };
    }
    at = body + size + (size % 2);
  }
  return { error: "no audio data in the file's first bytes" };
}

/**
 * Takes the data bytes in order, from any position (`at`: bytes from the data's start; a piece
 * need not begin or end on a frame), and keeps each bucket's loudest sample. Frames past the
 * layout's count are ignored; a bucket no byte reached stays 0.
 */
export function peakScanner(layout: WavLayout, wanted: number) {
  const buckets = Math.max(0, Math.min(Math.floor(wanted) || 0, MAX_BUCKETS, layout.frames));
  const { channels, bytesPerSample, frames } = layout;
  const out = Array.from({ length: channels }, () => new Array<number>(buckets).fill(0));
  const frameBytes = channels * bytesPerSample;
  let carry = new Uint8Array(0);
  let carryAt = 0;
  const take = (bytes: Uint8Array, at: number) => {
    const skip = (frameBytes - (at % frameBytes)) % frameBytes;
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    let frame = (at + skip) / frameBytes;
    for (let p = skip; p + frameBytes <= bytes.length && frame < frames; p += frameBytes, frame++) {
      const bucket = Math.floor((frame * buckets) / frames);
      for (let c = 0; c < channels; c++) {
        const q = p + c * bytesPerSample;
        const v = bytesPerSample === 2 ? Math.abs(view.getInt16(q, true)) : Math.abs(bytes[q]! - 128) * 256;
        if (v > out[c]![bucket]!) out[c]![bucket] = v;
      }
    }
    const used = skip + Math.max(0, Math.floor((bytes.length - skip) / frameBytes)) * frameBytes;
    return bytes.subarray(Math.min(used, bytes.length));
  };
  return {
    buckets,
    push(bytes: Uint8Array, at: number) {
      if (!buckets || !bytes.length) return;
      let piece = bytes;
      let from = at;
      // A frame split across two pieces read in order is joined; otherwise the leftover is dropped.
      if (carry.length && carryAt + carry.length === at) {
        piece = new Uint8Array(carry.length + bytes.length);
        piece.set(carry);
        piece.set(bytes, carry.length);
        from = carryAt;
      }
      const rest = take(piece, from);
      carry = rest.slice();
      carryAt = from + piece.length - rest.length;
    },
    peaks(): Peaks {
      return { durationMs: Math.round((frames / layout.sampleRate) * 1000), channels: out };
    },
  };
}

/** A whole file in memory, in one pass. */
export function wavPeaks(bytes: Uint8Array, wanted: number): Peaks | PeaksError {
  const layout = wavLayout(bytes.subarray(0, 4096), bytes.length);
  if ("error" in layout) return layout;
  const scan = peakScanner(layout, wanted);
  scan.push(bytes.subarray(layout.dataOffset), 0);
  return scan.peaks();
}
