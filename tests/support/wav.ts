import { writeFileSync } from "node:fs";

/** Writes 16-bit mono PCM as a WAV file (for Chromium's fake microphone). */
export function writeWav(path: string, pcm: Int16Array, sampleRate: number) {
  const header = Buffer.alloc(44);
  header.write("RIFF", 0);
  header.writeUInt32LE(36 + pcm.length * 2, 4);
  header.write("WAVEfmt ", 8);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(sampleRate, 24);
  header.writeUInt32LE(sampleRate * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write("data", 36);
  header.writeUInt32LE(pcm.length * 2, 40);
  writeFileSync(path, Buffer.concat([header, Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength)]));
}

/** `pattern` of [ms, loud?] segments at 16 kHz: silence, or a voice-like 300 Hz tone with harmonics. */
export function speechPattern(pattern: [number, boolean][], sampleRate = 16000) {
  const total = pattern.reduce((a, [ms]) => a + (ms * sampleRate) / 1000, 0);
  const pcm = new Int16Array(total);
  let at = 0;
  for (const [ms, loud] of pattern) {
    const n = (ms * sampleRate) / 1000;
    if (loud)
      for (let i = 0; i < n; i++) {
        const t = i / sampleRate;
        pcm[at + i] = Math.round(
          6000 * Math.sin(2 * Math.PI * 300 * t) +
            3000 * Math.sin(2 * Math.PI * 600 * t) +
            1500 * Math.sin(2 * Math.PI * 900 * t),
        );
      }
    at += n;
  }
  return pcm;
}
