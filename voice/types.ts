/**
 * The providers a cascade conversation is built from, each behind a small interface so another
 * vendor is one file. Audio is μ-law 8 kHz throughout: what Twilio sends and plays.
 */
export type SttEvents = {
  /** The caller began speaking (provider VAD): the moment to stop the agent talking. */
  onSpeechStarted(): void;
  /** `final`: this stretch will not change; `endOfTurn`: the provider's endpointing says the caller is done. */
  onTranscript(t: { text: string; final: boolean; endOfTurn: boolean }): void;
  onError(err: Error): void;
};
export type SpeechToText = { send(frame: Uint8Array): void; close(): Promise<void> };
export type SttFactory = (events: SttEvents, opts: { language: string }) => Promise<SpeechToText>;

export type ToolCall = { id: string; name: string; arguments: string };
export type ToolSpec = { name: string; description: string; parameters: Record<string, unknown> };
export type ChatMessage =
  | { role: "system" | "user"; content: string }
  | {
      role: "assistant";
      content: string | null;
      tool_calls?: { id: string; type: "function"; function: { name: string; arguments: string } }[];
    }
  | { role: "tool"; tool_call_id: string; content: string };
export type LanguageModel = {
  /** Text deltas of the reply, then any tool calls it asks for; stops early when `signal` aborts. */
  stream(
    messages: ChatMessage[],
    opts: { model: string; temperature: number; signal: AbortSignal; tools?: ToolSpec[] },
  ): AsyncIterable<string | ToolCall>;
};

export type TextToSpeech = {
  /** μ-law 8 kHz audio for text arriving piece by piece; stops early when `signal` aborts. */
  synthesize(text: AsyncIterable<string>, opts: { voice: string; signal: AbortSignal }): AsyncIterable<Uint8Array>;
};

export type VoiceProviders = {
  stt: SttFactory;
  llm: LanguageModel;
  tts: TextToSpeech;
  sandbox: boolean;
  /** Who serves each part (metrics and traces label by it). */
  vendors?: { stt: string; llm: string; tts: string };
  /** Whose TTS account speaks (a hash of its key): audio rendered for one account is never said for another. */
  ttsAccount?: string;
};
