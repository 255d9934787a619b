import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { encodeMulaw } from "../core/audio/mulaw";
import { sandboxSpeech } from "../core/audio/sandbox-tts";
import { parseWav } from "../core/audio/wav";
import { eventually } from "../tests/support/wait";
import { espeakAvailable, espeakWav } from "./espeak";
import { sandboxTts } from "./sandbox-speech";

const dir = mkdtempSync(join(tmpdir(), "espeak-"));
/** A stand-in for espeak-ng: a script that records its pid, then does `body`. */
function fakeBinary(name: string, body: string) {
  const path = join(dir, name);
  writeFileSync(path, `#!/bin/sh\necho $$ > ${path}.pid\n${body}\n`);
  chmodSync(path, 0o755);
  return {
    path,
    pid: async () =>
      Number(
        await eventually(
          async () => existsSync(`${path}.pid`) && readFileSync(`${path}.pid`, "utf8").trim(),
          5000,
          "the pid",
        ),
      ),
  };
}
const gone = (pid: number) => {
  try {
    process.kill(pid, 0);
    return false;
  } catch {
    return true;
  }
};
const voice = { name: "en-us", pitch: 50, wordsPerMinute: 165 };
const limits = (over: Partial<Parameters<typeof espeakWav>[3]> = {}) => ({
  deadlineMs: 10_000,
  maxBytes: 4_000_000,
  signal: new AbortController().signal,
  ...over,
});
const hasEspeak = await espeakAvailable("espeak-ng");
const collect = async (tts: ReturnType<typeof sandboxTts>, lines: string[], voiceId = "sandbox-alloy") => {
  const out: Uint8Array[] = [];
  const text = (async function* () {
    yield* lines;
  })();
  for await (const chunk of tts.synthesize(text, { voice: voiceId, signal: new AbortController().signal }))
    out.push(chunk);
  return out;
};

describe("espeakWav", () => {
  it.skipIf(!hasEspeak)("renders a sentence as 22 050 Hz WAV; text is never an option or a shell command", async () => {
    const marker = join(dir, "pwned");
    for (const text of ["Hello there.", `-w ${marker} $(touch ${marker}); \`touch ${marker}\``]) {
      const wav = parseWav(await espeakWav("espeak-ng", text, voice, limits()));
      expect(wav?.sampleRate).toBe(22050);
      expect(wav!.samples.length).toBeGreaterThan(22050 * 0.3);
    }
    expect(existsSync(marker)).toBe(false);
  });

  it("kills a process that outlives its deadline", async () => {
    const slow = fakeBinary("slow", "exec sleep 60");
    const result = espeakWav(slow.path, "hi", voice, limits({ deadlineMs: 1000 }));
    await expect(result).rejects.toThrow(/deadline/);
    const pid = await slow.pid();
    await eventually(async () => gone(pid), 5000, "the process to die");
  });

  it("kills a process that writes past the size cap", async () => {
    const endless = fakeBinary("endless", "exec cat /dev/zero");
    await expect(espeakWav(endless.path, "hi", voice, limits({ maxBytes: 100_000 }))).rejects.toThrow(
      /more than 100000/,
    );
    const pid = await endless.pid();
    await eventually(async () => gone(pid), 5000, "the process to die");
  });

  it("kills the process when the turn is aborted", async () => {
    const slow = fakeBinary("aborted", "exec sleep 60");
    const abort = new AbortController();
    const result = espeakWav(slow.path, "hi", voice, limits({ signal: abort.signal }));
    const pid = await slow.pid();
    abort.abort();
    await expect(result).rejects.toThrow(/aborted/);
    await eventually(async () => gone(pid), 5000, "the process to die");
  });

  it("rejects on a failing or missing binary", async () => {
    await expect(espeakWav(fakeBinary("fails", "exit 3").path, "hi", voice, limits())).rejects.toThrow(/exited with 3/);
    await expect(espeakWav(join(dir, "nowhere"), "hi", voice, limits())).rejects.toThrow(/ENOENT/);
    expect(await espeakAvailable(join(dir, "nowhere"))).toBe(false);
  });
});

describe("sandbox speech", () => {
  it("is tones where espeak-ng is missing", async () => {
    const tts = sandboxTts({ binary: join(dir, "missing") });
    expect(await tts.engine()).toBe("tones");
    expect(await collect(tts, ["Hello there.", "Bye."])).toEqual([
      encodeMulaw(sandboxSpeech("Hello there.")),
      encodeMulaw(sandboxSpeech("Bye.")),
    ]);
  });

  it("says a sentence in tones when espeak-ng fails on it", async () => {
    const tts = sandboxTts({ binary: fakeBinary("broken", 'case "$1" in --version) exit 0;; esac; exit 1').path });
    expect(await tts.engine()).toBe("espeak-ng");
    expect(await collect(tts, ["Hi."])).toEqual([encodeMulaw(sandboxSpeech("Hi."))]);
  });

  it.skipIf(!hasEspeak)("is words from espeak-ng, in a voice per sandbox voice", async () => {
    const tts = sandboxTts();
    const [alloy] = await collect(tts, ["Thanks for calling Acme."]);
    const [verse] = await collect(tts, ["Thanks for calling Acme."], "sandbox-verse");
    expect(alloy).not.toEqual(encodeMulaw(sandboxSpeech("Thanks for calling Acme.")));
    expect(alloy!.length).toBeGreaterThan(8000 * 0.5);
    expect(verse).not.toEqual(alloy);
  });
});
