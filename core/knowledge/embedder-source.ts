import type { OpenAiKeyFor } from "../openai-key";
import { type Embedder, sandboxEmbedder } from "./embeddings";
import { openaiEmbedder } from "./openai-embedder";

/** The embedder for a tenant: OpenAI with the key that serves it, else SANDBOX. */
export const embedderSource =
  (config: { OPENAI_BASE_URL?: string }, keyFor: OpenAiKeyFor) =>
  async (tenantId: string): Promise<Embedder> => {
    const apiKey = await keyFor(tenantId);
    return apiKey ? openaiEmbedder({ apiKey, baseURL: config.OPENAI_BASE_URL }) : sandboxEmbedder;
  };
