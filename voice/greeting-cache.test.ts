import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { cachedLines, createLineCache, type LineScope } from "./greeting-cache";
import type { TextToSpeech } from "./types";

const scope: LineScope = { tenantId: "t1", vendor: "elevenlabs", account: "a1", voice: "v1" };
/** A vendor stand-in that says each sentence as its length in bytes, and counts its requests. */
function countingTts() {
  const said: string[] = [];
  const tts: TextToSpeech = {
    async *synthesize(text) {
      for await (const s of text) {
        said.push(s);
        yield new Uint8Array(s.length * 100).fill(s.length);
      }
    },
  };
  return { tts, said };
}
const say = async (tts: TextToSpeech, sentence: string, voice = "v1", signal = new AbortController().signal) => {
  const chunks: number[] = [];
  for await (const c of tts.synthesize(
    (async function* () {
      yield sentence;
    })(),
    { voice, signal },
  ))
    chunks.push(...c);
  return chunks;
};

describe("the greeting cache", () => {
  it("never holds more than its bytes, and keeps the most recently used", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 1, max: 250 }))), (ops) => {
        const cache = createLineCache(1000);
        for (const [k, size] of ops) {
          const key = `k${k}`;
          if (!cache.get(key)) {
            cache.set(key, new Uint8Array(size));
            // The line just kept is the last one evicted (unless it is too long to keep at all).
            if (size <= 125) expect(cache.get(key)?.byteLength).toBe(size);
          }
          expect(cache.bytes).toBeLessThanOrEqual(1000);
        }
      }),
    );
  });

  it("keys by tenant, vendor, account, voice and text: no two differ in one and share audio", () => {
    const cache = createLineCache();
    const keys = new Set(
      [
        scope,
        { ...scope, tenantId: "t2" },
        { ...scope, vendor: "sandbox" },
        { ...scope, account: "a2" },
        { ...scope, voice: "v2" },
      ].flatMap((s) => [cache.keyOf(s, "Hello."), cache.keyOf(s, "Hello!")]),
    );
    expect(keys.size).toBe(10);
  });

  it("renders a greeting's sentence once, then says it from memory; other sentences still go to the vendor", async () => {
    const cache = createLineCache();
    const vendor = countingTts();
    const first = cachedLines(vendor.tts, cache, scope, ["Hi there."]);
    const rendered = await say(first.tts, "Hi there.");
    expect(first.served()).toBe("tts");
    const second = cachedLines(vendor.tts, cache, scope, ["Hi there."]);
    expect(await say(second.tts, "Hi there.")).toEqual(rendered);
    expect(second.served()).toBe("cache");
    await say(second.tts, "Something else.");
    expect(vendor.said).toEqual(["Hi there.", "Something else."]);
    // Another tenant with the same words and voice renders its own.
    const other = cachedLines(vendor.tts, cache, { ...scope, tenantId: "t2" }, ["Hi there."]);
    await say(other.tts, "Hi there.");
    expect(other.served()).toBe("tts");
    expect(vendor.said).toHaveLength(3);
  });

  it("keeps nothing of a request that was cut off", async () => {
    const cache = createLineCache();
    const vendor = countingTts();
    const abort = new AbortController();
    abort.abort();
    await say(cachedLines(vendor.tts, cache, scope, ["Hi there."]).tts, "Hi there.", "v1", abort.signal);
    expect(cache.size).toBe(0);
  });
});
