import { describe, expect, it } from "vitest";
import { loadRelayConfig } from "../core/config";
import { realtimeSource } from "./providers";

const base = { DATABASE_URL: "postgres://x@127.0.0.1/x", OPENAI_REALTIME_URL: "wss://realtime.test/v1/realtime" };

describe("which key a speech-to-speech call uses", () => {
  it("prefers the tenant's own OpenAI key, then the platform's, else none (SANDBOX)", async () => {
    const platform = loadRelayConfig({ ...base, LLM_PROVIDER: "openai", OPENAI_API_KEY: "sk-platform" });
    const sandbox = loadRelayConfig(base);
    const keys = async (tenantId: string) => (tenantId === "byo" ? { openai: "sk-tenant" } : {});
    expect(await realtimeSource(platform, keys)("byo")).toEqual({
      apiKey: "sk-tenant",
      url: "wss://realtime.test/v1/realtime",
    });
    expect(await realtimeSource(platform, keys)("other")).toEqual({
      apiKey: "sk-platform",
      url: "wss://realtime.test/v1/realtime",
    });
    expect(await realtimeSource(sandbox, keys)("other")).toBeNull();
    expect(await realtimeSource(sandbox, keys)("byo")).toMatchObject({ apiKey: "sk-tenant" });
  });
});
