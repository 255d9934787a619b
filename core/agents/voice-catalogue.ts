import { sandboxVoices } from "./agent-limits";

/**
 * The voices the portal's picker offers and previews (docs/decisions/0051): the sandbox's eSpeak NG
 * voices always, ElevenLabs' premade voices when an ElevenLabs key is configured. Zod-free: the
 * form reads it in the browser. ElevenLabs' own list (`/v1/voices`) needs a key and a round trip;
 * we have no client for it, so its premade voices are curated here.
 */
export type VoiceProvider = "sandbox" | "elevenlabs";
export type VoiceOption = {
  id: string;
  name: string;
  provider: VoiceProvider;
  language?: string;
  accent?: string;
  gender?: "female" | "male";
  description?: string;
};

export const providerLabels: Record<VoiceProvider, string> = {
  sandbox: "Sandbox (eSpeak NG)",
  elevenlabs: "ElevenLabs",
};

export const sandboxVoiceOptions: VoiceOption[] = [
  { id: sandboxVoices[0], name: "Alloy", provider: "sandbox", language: "English", accent: "American", gender: "male" },
  {
    id: sandboxVoices[1],
    name: "Verse",
    provider: "sandbox",
    language: "English",
    accent: "British",
    gender: "female",
  },
];

const el = (id: string, name: string, accent: string, gender: "female" | "male", description: string): VoiceOption => ({
  id,
  name,
  provider: "elevenlabs",
  language: "English",
  accent,
  gender,
  description,
});

export const elevenLabsVoiceOptions: VoiceOption[] = [
  el("21m00Tcm4TlvDq8ikWAM", "Rachel", "American", "female", "calm"),
  el("EXAVITQu4vr4xnSDxMaL", "Sarah", "American", "female", "soft"),
  el("XrExE9yKIg1WjnnlVkGX", "Matilda", "American", "female", "warm"),
  el("pFZP5JQG7iQjIQuC4Bku", "Lily", "British", "female", "warm"),
  el("pNInz6obpgDQGcFmaJgB", "Adam", "American", "male", "deep"),
  el("TxGEqnHWrfWFTfGW9XjX", "Josh", "American", "male", "young"),
  el("onwK4e9ZLuTAKqWW03F9", "Daniel", "British", "male", "authoritative"),
  el("IKne3meq5aSn9XLyUdCD", "Charlie", "Australian", "male", "casual"),
];

/** The voices a tenant may pick from: the sandbox's, and the provider's when its key is configured. */
export const voiceOptions = (providers: { elevenlabs: boolean }) => [
  ...sandboxVoiceOptions,
  ...(providers.elevenlabs ? elevenLabsVoiceOptions : []),
];

/** A listed voice by id, whatever is configured (the preview decides who speaks it). */
export const findVoice = (id: string) => [...sandboxVoiceOptions, ...elevenLabsVoiceOptions].find((v) => v.id === id);

/** The fixed sample every preview says: no text from the user is ever spoken. */
export const previewText = (voice: VoiceOption) => `Hi, I'm ${voice.name}. How can I help?`;

/** Where the browser fetches a voice's sample. */
export const previewUrl = (id: string) => `/agents/voices/preview?voice=${encodeURIComponent(id)}`;

export const voiceTraits = (v: VoiceOption) =>
  [v.language, v.accent, v.gender, v.description].filter(Boolean).join(" · ");
