import { encodeMulaw } from "../core/audio/mulaw";
import { sandboxSpeech } from "../core/audio/sandbox-tts";
import type { VoiceProviders } from "./types";

/**
 * SANDBOX providers for `npm run dev` with no keys, labelled as such: speech is synthesised tones,
 * nothing is transcribed (so the agent greets and then listens), and the "model" echoes.
 */
export const sandboxProviders: VoiceProviders = {
  sandbox: true,
  stt: async () => ({ send() {}, async close() {} }),
  llm: {
    async *stream(messages) {
      const last = messages.at(-1);
      yield `You said: ${last && "content" in last ? (last.content ?? "") : ""}`;
    },
  },
  tts: {
    async *synthesize(text, { signal }) {
      for await (const sentence of text) {
        if (signal.aborted) return;
        yield encodeMulaw(sandboxSpeech(sentence));
      }
    },
  },
};
