import { deepgramStt } from "../../voice/deepgram";
import { elevenLabsTts } from "../../voice/elevenlabs";
import { openaiChat } from "../../voice/openai-chat";
import { createBreakers, resilient } from "../../voice/resilient";
import type { VoiceProviders } from "../../voice/types";

/**
 * The real provider clients pointed at the Deepgram, OpenAI and ElevenLabs fakes (keys dg-key,
 * sk-test, xi-key), with the resilience the relay gives them and shorter deadlines for tests.
 */
export function fakeBackedProviders(
  urls: { deepgram: string; openai: string; elevenlabs: string },
  deadlines: Parameters<typeof resilient>[2],
  endpointingMs = 300,
): VoiceProviders {
  return resilient(
    {
      sandbox: false,
      vendors: { stt: "deepgram", llm: "openai", tts: "elevenlabs" },
      stt: deepgramStt({ apiKey: "dg-key", url: `${urls.deepgram}/v1/listen`, endpointingMs }),
      llm: openaiChat({ apiKey: "sk-test", baseURL: urls.openai, maxRetries: 0 }),
      tts: elevenLabsTts({ apiKey: "xi-key", url: urls.elevenlabs }),
    },
    createBreakers(),
    deadlines,
  );
}
