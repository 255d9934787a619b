/**
 * The OpenAI key that serves a tenant's model work (analysis, embeddings, test runs): its own key
 * (Settings → Providers), else the platform's; null means SANDBOX.
 */
export const openAiKeySource =
  (platformKey: string | undefined, tenantKey: (tenantId: string) => Promise<string | undefined>) =>
  async (tenantId: string) =>
    (await tenantKey(tenantId)) ?? platformKey ?? null;
export type OpenAiKeyFor = ReturnType<typeof openAiKeySource>;
