import { type Peaks, type PeaksError, peakScanner, type WavLayout, wavLayout } from "../../core/recordings/peaks";
import { recordingOfCall } from "../../db/queries/recordings";
import { type OpenRecording, openCallRecording } from "./playback.server";
import type { Recordings } from "./recordings.server";

export const WAVEFORM_BUCKETS = 600;
/** Read whole up to here (about 35 minutes of a two-channel call); past it, a window of each bucket. */
const FULL_PASS_BYTES = 64 * 1024 * 1024;
const WINDOWS_AT_ONCE = 8;
const CACHED = 300;

export type Waveform = Peaks & { sampled: boolean };
const cache = new Map<string, Promise<Waveform | PeaksError>>();

/**
 * The call's waveform for the player (channel 0 the caller, 1 the agent, as Twilio records them);
 * null when the call has no stored recording (another tenant's call included). A recording
 * never changes once stored, so each is computed once per process (the latest few hundred kept),
 * and at most FULL_PASS_BYTES of it are decrypted.
 */
export async function callWaveform(
  r: Pick<Recordings, "db" | "pii" | "store">,
  owner: { tenantId: string; callId: string },
): Promise<Waveform | PeaksError | null> {
  const rec = await recordingOfCall(r.db, owner);
  if (rec?.status !== "stored" || !rec.storageKey) return null;
  const key = `${owner.tenantId}/${rec.id}/${rec.storageKey}`;
  const hit = cache.get(key);
  if (hit) {
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  const open = await openCallRecording(r, owner);
  if (!open) return null;
  const made = computeWaveform(open);
  cache.set(key, made);
  made.catch(() => cache.delete(key));
  for (const old of cache.keys()) if (cache.size > CACHED) cache.delete(old);
  return made;
}

async function computeWaveform(open: OpenRecording): Promise<Waveform | PeaksError> {
  const head = await readAll(open, 0, Math.min(open.size, 4096));
  const layout = wavLayout(head, open.size);
  if ("error" in layout) return layout;
  const scan = peakScanner(layout, WAVEFORM_BUCKETS);
  const dataBytes = layout.frames * layout.channels * layout.bytesPerSample;
  if (dataBytes <= FULL_PASS_BYTES) {
    await readInto(open, layout.dataOffset, dataBytes, (piece, at) => scan.push(piece, at));
    return { ...scan.peaks(), sampled: false };
  }
  const windows = sampleWindows(layout, scan.buckets);
  for (let i = 0; i < windows.length; i += WINDOWS_AT_ONCE) {
    await Promise.all(
      windows
        .slice(i, i + WINDOWS_AT_ONCE)
        .map((w) => readInto(open, layout.dataOffset + w.at, w.bytes, (piece, at) => scan.push(piece, w.at + at))),
    );
  }
  return { ...scan.peaks(), sampled: true };
}

/** The first frames of each bucket, as many as share FULL_PASS_BYTES between them. */
function sampleWindows(layout: WavLayout, buckets: number) {
  const frameBytes = layout.channels * layout.bytesPerSample;
  const framesEach = Math.max(1, Math.floor(FULL_PASS_BYTES / buckets / frameBytes));
  return Array.from({ length: buckets }, (_, b) => {
    const first = Math.ceil((b * layout.frames) / buckets);
    const next = Math.ceil(((b + 1) * layout.frames) / buckets);
    return { at: first * frameBytes, bytes: Math.min(framesEach, next - first) * frameBytes };
  });
}

/** Streams `length` plaintext bytes from `start`, each piece given with its offset from `start`. */
async function readInto(open: OpenRecording, start: number, length: number, each: (b: Uint8Array, at: number) => void) {
  if (length <= 0) return;
  const reader = open.read(start, start + length - 1).getReader();
  for (let at = 0; ; ) {
    const { done, value } = await reader.read();
    if (done) return;
    each(value, at);
    at += value.length;
  }
}

async function readAll(open: OpenRecording, start: number, length: number) {
  const pieces: Uint8Array[] = [];
  await readInto(open, start, length, (b) => pieces.push(b.slice()));
  const out = new Uint8Array(pieces.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of pieces) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
