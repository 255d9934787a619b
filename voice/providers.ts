import type { RelayConfig } from "../core/config";
import { sha256Hex } from "../core/crypto/tokens";
import type { CredentialProvider } from "../db/schema";
import { deepgramStt } from "./deepgram";
import { elevenLabsTts } from "./elevenlabs";
import { openaiChat } from "./openai-chat";
import type { RealtimeOptions } from "./realtime";
import { type Breakers, createBreakers, resilient } from "./resilient";
import { sandboxProviders } from "./sandbox";
import type { VoiceProviders } from "./types";

export type TenantKeys = Partial<Record<CredentialProvider, string>>;

/**
 * The providers for one call: a tenant's own key (if it set one) wins over the platform's; with
 * neither, that provider is SANDBOX. Each gets deadlines, a safe retry and a circuit breaker;
 * platform providers share breakers, a tenant's own keys get breakers of their own.
 */
export function buildProviders(config: RelayConfig, keys: TenantKeys, breakers: Breakers): VoiceProviders {
  const deepgram = keys.deepgram ?? (config.STT_PROVIDER === "deepgram" ? config.DEEPGRAM_API_KEY : undefined);
  const openai = keys.openai ?? (config.LLM_PROVIDER === "openai" ? config.OPENAI_API_KEY : undefined);
  const elevenlabs = keys.elevenlabs ?? (config.TTS_PROVIDER === "elevenlabs" ? config.ELEVENLABS_API_KEY : undefined);
  return resilient(
    {
      sandbox: !deepgram || !openai || !elevenlabs,
      vendors: {
        stt: deepgram ? "deepgram" : "sandbox",
        llm: openai ? "openai" : "sandbox",
        tts: elevenlabs ? "elevenlabs" : "sandbox",
      },
      ttsAccount: elevenlabs ? sha256Hex(elevenlabs).slice(0, 32) : "sandbox",
      stt: deepgram ? deepgramStt({ apiKey: deepgram, url: config.DEEPGRAM_URL }) : sandboxProviders.stt,
      llm: openai ? openaiChat({ apiKey: openai, baseURL: config.OPENAI_BASE_URL }) : sandboxProviders.llm,
      tts: elevenlabs ? elevenLabsTts({ apiKey: elevenlabs, url: config.ELEVENLABS_URL }) : sandboxProviders.tts,
    },
    breakers,
  );
}

/** Per-call provider choice for the relay: platform providers built once, tenant overrides per call. */
export function providerSource(config: RelayConfig, loadKeys: (tenantId: string) => Promise<TenantKeys>) {
  const platformBreakers = createBreakers();
  const platform = buildProviders(config, {}, platformBreakers);
  const tenantBreakers = new Map<string, Breakers>();
  return {
    platform,
    async forTenant(tenantId: string): Promise<VoiceProviders> {
      const keys = await loadKeys(tenantId);
      if (!Object.keys(keys).length) return platform;
      if (!tenantBreakers.has(tenantId)) tenantBreakers.set(tenantId, createBreakers());
      return buildProviders(config, keys, tenantBreakers.get(tenantId)!);
    },
  };
}

/** The realtime model for speech-to-speech agents: the tenant's own OpenAI key, else the platform's, else none. */
export const realtimeSource =
  (config: RelayConfig, loadKeys: (tenantId: string) => Promise<TenantKeys>) =>
  async (tenantId: string): Promise<RealtimeOptions | null> => {
    const apiKey =
      (await loadKeys(tenantId)).openai ?? (config.LLM_PROVIDER === "openai" ? config.OPENAI_API_KEY : undefined);
    return apiKey ? { apiKey, url: config.OPENAI_REALTIME_URL } : null;
  };
