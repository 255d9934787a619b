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
      for (let r = await it.next(); !r.done; r = await it.next()) yield r.value;
      breaker.success();
      return;
    } catch (err) {
      breaker.failure();
      throw err;
    }
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
  { firstTokenMs = 4000, firstAudioMs = 4000 } = {},
): VoiceProviders {
  return {
    sandbox: p.sandbox,
    vendors: p.vendors,
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
    llm: { stream: (messages, opts) => guarded("llm", breakers.llm, firstTokenMs, () => p.llm.stream(messages, opts)) },
    tts: { synthesize: (text, opts) => guarded("tts", breakers.tts, firstAudioMs, () => p.tts.synthesize(text, opts)) },
  };
}
