import OpenAI from "openai";
import type { LanguageModel, ToolCall } from "./types";

/** OpenAI chat completions, streamed (SSE) through the official SDK; `baseURL` points tests at a fake. */
export function openaiChat(opts: {
  apiKey: string;
  baseURL?: string;
  timeoutMs?: number;
  maxRetries?: number;
}): LanguageModel {
  // Retries are ours (resilient.ts: once, before the first token); the SDK's would double them.
  const client = new OpenAI({
    apiKey: opts.apiKey,
    baseURL: opts.baseURL,
    timeout: opts.timeoutMs ?? 10_000,
    maxRetries: opts.maxRetries ?? 0,
  });
  return {
    async *stream(messages, { model, temperature, signal, tools }) {
      const stream = await client.chat.completions.create(
        {
          model,
          temperature,
          messages: messages as OpenAI.Chat.ChatCompletionMessageParam[],
          stream: true,
          // A spoken reply's cap (minutes of speech); the stream's time is bounded by resilient.ts.
          max_completion_tokens: 1024,
          ...(tools?.length ? { tools: tools.map((t) => ({ type: "function" as const, function: t })) } : {}),
        },
        { signal },
      );
      // Tool calls stream as fragments keyed by index; they are complete when the stream ends.
      const calls: ToolCall[] = [];
      for await (const chunk of stream) {
        const delta = chunk.choices[0]?.delta;
        if (delta?.content) yield delta.content;
        for (const t of delta?.tool_calls ?? []) {
          calls[t.index] ??= { id: "", name: "", arguments: "" };
          const call = calls[t.index]!;
          if (t.id) call.id = t.id;
          if (t.function?.name) call.name += t.function.name;
          if (t.function?.arguments) call.arguments += t.function.arguments;
        }
      }
      yield* calls.filter(Boolean);
    },
  };
}
