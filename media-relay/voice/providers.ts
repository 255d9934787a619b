import type { RelayConfig } from "../../core/config";
import { deepgramStt } from "./deepgram";
import { elevenLabsTts } from "./elevenlabs";
import { openaiChat } from "./openai-chat";
import { createBreakers, resilient } from "./resilient";
import { sandboxProviders } from "./sandbox";
import type { VoiceProviders } from "./types";

/** The platform's providers from configuration, with deadlines, retries and breakers; the rest stay SANDBOX. */
export function providersFrom(config: RelayConfig): VoiceProviders {
  return resilient(configured(config), createBreakers());
}

function configured(config: RelayConfig): VoiceProviders {
  return {
    sandbox:
      config.STT_PROVIDER === "sandbox" || config.LLM_PROVIDER === "sandbox" || config.TTS_PROVIDER === "sandbox",
    stt:
      config.STT_PROVIDER === "deepgram"
        ? deepgramStt({ apiKey: config.DEEPGRAM_API_KEY!, url: config.DEEPGRAM_URL })
        : sandboxProviders.stt,
    llm:
      config.LLM_PROVIDER === "openai"
        ? openaiChat({ apiKey: config.OPENAI_API_KEY!, baseURL: config.OPENAI_BASE_URL })
        : sandboxProviders.llm,
    tts:
      config.TTS_PROVIDER === "elevenlabs"
        ? elevenLabsTts({ apiKey: config.ELEVENLABS_API_KEY!, url: config.ELEVENLABS_URL })
        : sandboxProviders.tts,
  };
}
