/**
 * An agent's choices and limits, without their schemas (agent-input): the portal's form reads
 * these in the browser, where zod never goes (docs/decisions/0046).
 */
export const sandboxVoices = ["sandbox-alloy", "sandbox-verse"] as const;
export const models = ["gpt-4o-mini", "gpt-4.1", "gpt-realtime"] as const;
export const modes = ["cascade", "speech_to_speech"] as const;
export const languages = ["en", "en-US", "en-GB", "es", "fr", "de", "it", "pt", "nl", "hi", "ja"] as const;

/** Every limit on an agent's settings, one constant each: the API and the portal's form both read these. */
export const agentLimits = {
  name: 80,
  systemPrompt: 20_000,
  firstMessage: 500,
  temperature: { min: 0, max: 2 },
  interruptionSensitivity: { min: 0, max: 1 },
  maxDurationSeconds: { min: 30, max: 14_400 },
  silenceTimeoutSeconds: { min: 0, max: 600 },
  endCallPhrases: 20,
  endCallPhrase: 200,
  tools: 20,
  toolDescription: 1000,
  transferDescription: 500,
  toolTimeoutMs: { min: 100, max: 20_000 },
  recordingDisclosure: 300,
  knowledgeBases: 10,
  analysisText: 2000,
} as const;
