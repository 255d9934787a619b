import { concatBytes } from "../core/bytes";
import { sha256Hex } from "../core/crypto/tokens";
import type { TextToSpeech } from "./types";

/** What a cached line is rendered for: one tenant, its TTS vendor and account, one voice. */
export type LineScope = { tenantId: string; vendor: string; account: string; voice: string };

/**
 * A relay's rendered greetings, least recently used first out, bounded in bytes. Content-addressed:
 * the key is a hash of the tenant, TTS vendor and account (a hash of its key), voice and text, so
 * an agent's new version (or a per-call variable in its first message) is simply another key, and
 * no tenant, key or voice is ever served audio rendered for another (docs/decisions/0044).
 */
export function createLineCache(maxBytes = 16 * 1024 * 1024) {
  const entries = new Map<string, Uint8Array>();
  let bytes = 0;
  const keyOf = (scope: LineScope, text: string) =>
    sha256Hex(JSON.stringify([scope.tenantId, scope.vendor, scope.account, scope.voice, text]));
  return {
    keyOf,
    get(key: string) {
      const audio = entries.get(key);
      if (!audio) return undefined;
      entries.delete(key);
      entries.set(key, audio);
      return audio;
    },
    set(key: string, audio: Uint8Array) {
      // One line may not take more than an eighth of the cache: a long monologue is not a greeting.
      if (audio.byteLength > maxBytes / 8 || entries.has(key)) return;
      entries.set(key, audio);
      bytes += audio.byteLength;
      for (const [oldest, old] of entries) {
        if (bytes <= maxBytes) break;
        entries.delete(oldest);
        bytes -= old.byteLength;
      }
    },
    get bytes() {
      return bytes;
    },
    get size() {
      return entries.size;
    },
  };
}
export type LineCache = ReturnType<typeof createLineCache>;

const CHUNK = 800;

/**
 * The call's TTS, with the sentences of `lines` (its greeting) said from `cache` when rendered
 * before, and rendered once otherwise: the audio of a request that finishes unaborted is kept.
 * Every other sentence goes to the vendor as before. `served`: whether the call's first sentence was said from memory.
 */
export function cachedLines(tts: TextToSpeech, cache: LineCache, scope: LineScope, lines: Iterable<string>) {
  const keep = new Set(lines);
  let served: "cache" | "tts" | undefined;
  const synthesize: TextToSpeech["synthesize"] = async function* (text, opts) {
    const pieces: string[] = [];
    for await (const piece of text) pieces.push(piece);
    const sentence = pieces.join("");
    const replay = {
      [Symbol.asyncIterator]: async function* () {
        yield* pieces;
      },
    };
    const key = keep.has(sentence) && opts.voice === scope.voice ? cache.keyOf(scope, sentence) : undefined;
    const hit = key ? cache.get(key) : undefined;
    served ??= hit ? "cache" : "tts";
    if (!key) return yield* tts.synthesize(replay, opts);
    if (hit) {
      // In the vendor's chunk size, so what follows (frames, marks) sees the same stream either way.
      for (let at = 0; at < hit.length && !opts.signal.aborted; at += CHUNK) yield hit.subarray(at, at + CHUNK);
      return;
    }
    const chunks: Uint8Array[] = [];
    for await (const chunk of tts.synthesize(replay, opts)) {
      chunks.push(chunk);
      yield chunk;
    }
    if (!opts.signal.aborted && chunks.length) cache.set(key, concatBytes(chunks));
  };
  return { tts: { synthesize }, served: () => served };
}
