/**
 * Options for every provider WebSocket (Deepgram, ElevenLabs, OpenAI Realtime): the handshake
 * within 10 s (ws waits for ever by default), and no message over 4 MiB (ws allows 100 MiB; the
 * largest real one is a second or two of base64 audio). Once open, each stream's silence is
 * bounded by resilient.ts and the call's own timers (docs/decisions/0027).
 */
export const PROVIDER_SOCKET = { handshakeTimeout: 10_000, maxPayload: 4 * 1024 * 1024 } as const;
