import { type CircuitBreaker, createCircuitBreaker } from "./circuit-breaker";
import type { VoiceProviders } from "./types";

export class ProviderTimeoutError extends Error {}

/**
 * Yields from `make()`; if it fails or stays silent past `firstItemMs` before its first item, it
 * is retried once (nothing has reached the caller yet, so a retry is safe). After the first item
 * an error propagates: replaying half a sentence would be worse than the fallback line.
 */
async function* guarded<T>(
  name: string,
  breaker: CircuitBreaker,
  firstItemMs: number,
  make: () => AsyncIterable<T>,
  idleMs?: number,
): AsyncIterable<T> {
  for (let attempt = 1; ; attempt++) {
    breaker.check();
    const it = make()[Symbol.asyncIterator]();
    let first: IteratorResult<T>;
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      first = await Promise.race([
        it.next(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new ProviderTimeoutError(`${name} sent nothing for ${firstItemMs} ms`)),
            firstItemMs,
          );
        }),
      ]);
    } catch (err) {
      breaker.failure();
      void it.return?.();
      if (attempt >= 2) throw err;
      continue;
    } finally {
      clearTimeout(timer);
    }
    try {
      if (!first.done) yield first.value;
      for (let r = await nextWithin(it, name, idleMs); !r.done; r = await nextWithin(it, name, idleMs)) yield r.value;
      breaker.success();
      return;
    } catch (err) {
      breaker.failure();
      if (err instanceof ProviderTimeoutError) void it.return?.();
      throw err;
    }
  }
}

/** The next item, unless the stream stalls mid-way for `idleMs` (a connection gone quiet, not closed). */
async function nextWithin<T>(it: AsyncIterator<T>, name: string, idleMs?: number) {
  if (!idleMs) return it.next();
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([
      it.next(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new ProviderTimeoutError(`${name} stalled: nothing for ${idleMs} ms mid-stream`)),
          idleMs,
        );
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

export type Breakers = { stt: CircuitBreaker; llm: CircuitBreaker; tts: CircuitBreaker };
export const createBreakers = (): Breakers => ({
  stt: createCircuitBreaker("stt"),
  llm: createCircuitBreaker("llm"),
  tts: createCircuitBreaker("tts"),
});

/** The same providers, with deadlines, one safe retry and a circuit breaker each. */
export function resilient(
  p: VoiceProviders,
  breakers: Breakers,
  { firstTokenMs = 4000, firstAudioMs = 4000, tokenGapMs = 5000 } = {},
): VoiceProviders {
  return {
    sandbox: p.sandbox,
    vendors: p.vendors,
    ttsAccount: p.ttsAccount,
    async stt(events, opts) {
      for (let attempt = 1; ; attempt++) {
        breakers.stt.check();
        try {
          const s = await p.stt(events, opts);
          breakers.stt.success();
          return s;
        } catch (err) {
          breakers.stt.failure();
          if (attempt >= 2) throw err;
        }
      }
    },
    // Only the model's stream has a mid-stream deadline: speech waits on the text it is fed.
    llm: {
      stream: (messages, opts) =>
        guarded("llm", breakers.llm, firstTokenMs, () => p.llm.stream(messages, opts), tokenGapMs),
    },
    tts: { synthesize: (text, opts) => guarded("tts", breakers.tts, firstAudioMs, () => p.tts.synthesize(text, opts)) },
  };
}
