import { type Embedder, sandboxEmbedder } from "./embeddings";
import { openaiEmbedder } from "./openai-embedder";

/** The embedder for a tenant: its own OpenAI key, else the platform's, else SANDBOX. */
export function embedderSource(config: { OPENAI_API_KEY?: string; OPENAI_BASE_URL?: string }, tenantOpenAiKey: (tenantId: string) => Promise<string | undefined>) {
  const platform = config.OPENAI_API_KEY ? openaiEmbedder({ apiKey: config.OPENAI_API_KEY, baseURL: config.OPENAI_BASE_URL }) : sandboxEmbedder;
  return async (tenantId: string): Promise<Embedder> => {
    const own = await tenantOpenAiKey(tenantId);
    return own ? openaiEmbedder({ apiKey: own, baseURL: config.OPENAI_BASE_URL }) : platform;
  };
}
