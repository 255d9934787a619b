/** Where the time of one agent turn went, in ms: speech recognition, the model, speech synthesis, our own code. */
export type TurnLatency = { sttMs: number; llmMs: number; ttsMs: number; platformMs: number };
