import { spawn } from "node:child_process";

export type EspeakLimits = {
  /** The whole synthesis, start to last byte: past it the process is killed. */
  deadlineMs: number;
  /** Most WAV bytes taken from one sentence; more and the process is killed. */
  maxBytes: number;
  signal: AbortSignal;
};
export type EspeakVoice = { name: string; pitch: number; wordsPerMinute: number };

export const MAX_SENTENCE_CHARS = 1000;

/**
 * One sentence rendered by eSpeak NG (a GPL-3.0 program run as a separate process, never linked:
 * docs/decisions/0047) as the WAV it writes to stdout. The text goes in on stdin, never through a
 * shell or the argument list, so no text is taken for an option; espeak-ng reads it as plain text
 * (no -m: no SSML). The process is killed on abort, at the deadline and past the size cap.
 */
export function espeakWav(binary: string, text: string, voice: EspeakVoice, limits: EspeakLimits) {
  return new Promise<Uint8Array>((resolve, reject) => {
    if (limits.signal.aborted) return reject(new Error("espeak-ng: aborted"));
    const child = spawn(
      binary,
      ["--stdout", "-v", voice.name, "-p", String(voice.pitch), "-s", String(voice.wordsPerMinute)],
      { stdio: ["pipe", "pipe", "ignore"], shell: false },
    );
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const finish = (err: Error | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      limits.signal.removeEventListener("abort", onAbort);
      if (err) {
        child.kill("SIGKILL");
        reject(err);
      } else resolve(new Uint8Array(Buffer.concat(chunks, size)));
    };
    const onAbort = () => finish(new Error("espeak-ng: aborted"));
    const timer = setTimeout(
      () => finish(new Error(`espeak-ng: past its ${limits.deadlineMs} ms deadline`)),
      limits.deadlineMs,
    );
    limits.signal.addEventListener("abort", onAbort, { once: true });
    child.on("error", (err) => finish(err));
    child.stdin.on("error", () => undefined); // EPIPE when it died first: its exit says why
    child.stdout.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limits.maxBytes) return finish(new Error(`espeak-ng: more than ${limits.maxBytes} bytes`));
      chunks.push(chunk);
    });
    child.on("close", (code, sig) => finish(code === 0 ? null : new Error(`espeak-ng: exited with ${code ?? sig}`)));
    child.stdin.end(text.replace(/\s+/g, " ").slice(0, MAX_SENTENCE_CHARS));
  });
}

const probes = new Map<string, Promise<boolean>>();
/** Whether `binary` runs here (asked once per process). */
export function espeakAvailable(binary: string): Promise<boolean> {
  if (!probes.has(binary))
    probes.set(
      binary,
      new Promise<boolean>((resolve) => {
        const child = spawn(binary, ["--version"], { stdio: "ignore", shell: false });
        const timer = setTimeout(() => {
          child.kill("SIGKILL");
          resolve(false);
        }, 5000);
        child.on("error", () => {
          clearTimeout(timer);
          resolve(false);
        });
        child.on("close", (code) => {
          clearTimeout(timer);
          resolve(code === 0);
        });
      }),
    );
  return probes.get(binary)!;
}
