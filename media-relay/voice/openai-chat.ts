import OpenAI from "openai";
import type { LanguageModel } from "./types";

/** OpenAI chat completions, streamed (SSE) through the official SDK; `baseURL` points tests at a fake. */
export function openaiChat(opts: { apiKey: string; baseURL?: string; timeoutMs?: number; maxRetries?: number }): LanguageModel {
  // Retries are ours (resilient.ts: once, before the first token); the SDK's would double them.
  const client = new OpenAI({ apiKey: opts.apiKey, baseURL: opts.baseURL, timeout: opts.timeoutMs ?? 10_000, maxRetries: opts.maxRetries ?? 0 });
  return {
    async *stream(messages, { model, temperature, signal }) {
      const stream = await client.chat.completions.create({ model, temperature, messages, stream: true }, { signal });
      for await (const chunk of stream) {
        const delta = chunk.choices[0]?.delta?.content;
        if (delta) yield delta;
      }
    },
  };
}
