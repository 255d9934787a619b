import OpenAI from "openai";
import { EMBEDDING_DIMENSIONS, type Embedder, normalize } from "./embeddings";

/** OpenAI embeddings through the official SDK, asked for our fixed number of dimensions. */
export function openaiEmbedder(opts: {
  apiKey: string;
  baseURL?: string;
  model?: string;
  timeoutMs?: number;
}): Embedder {
  const client = new OpenAI({
    apiKey: opts.apiKey,
    baseURL: opts.baseURL,
    timeout: opts.timeoutMs ?? 30_000,
    maxRetries: 0,
  });
  const model = opts.model ?? "text-embedding-3-small";
  return {
    sandbox: false,
    model,
    async embed(texts) {
      const out: number[][] = [];
      // The API takes up to 2048 inputs a request; smaller batches keep each request quick.
      for (let i = 0; i < texts.length; i += 96) {
        // The SDK's timeout ends at the answer's headers; the signal bounds reading its body too.
        const res = await client.embeddings.create(
          { model, input: texts.slice(i, i + 96), dimensions: EMBEDDING_DIMENSIONS },
          { signal: AbortSignal.timeout(opts.timeoutMs ?? 30_000) },
        );
        const batch = [...res.data].sort((a, b) => a.index - b.index).map((d) => normalize(d.embedding));
        if (batch.length !== Math.min(96, texts.length - i) || batch.some((v) => v.length !== EMBEDDING_DIMENSIONS))
          throw new Error(`the embeddings answer had ${batch.length} vectors of ${batch[0]?.length} dimensions`);
        out.push(...batch);
      }
      return out;
    },
  };
}
