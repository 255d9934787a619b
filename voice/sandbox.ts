import { sandboxModel } from "./sandbox-model";
import { sandboxTts } from "./sandbox-speech";
import type { VoiceProviders } from "./types";

/**
 * SANDBOX providers for `npm run dev` with no keys, labelled as such: speech is eSpeak NG (tones
 * where it is not installed), nothing is transcribed from audio (the browser test page types the
 * caller's turns instead: voice/typed-turns.ts), and the "model" gives a labelled canned reply.
 */
export const sandboxProviders: VoiceProviders = {
  sandbox: true,
  stt: async () => ({ send() {}, async close() {} }),
  llm: sandboxModel,
  tts: sandboxTts(),
};
