/**
 * Where the time of one agent turn went, in ms, from the caller's last sound to the reply's first
 * audio leaving the relay: speech recognition (to the final transcript), the model (to its first
 * whole sentence), speech synthesis (that sentence's first audio), and our own code (the rest).
 */
export type TurnLatency = {
  sttMs: number;
  llmMs: number;
  ttsMs: number;
  platformMs: number;
  /** Relay → caller, estimated from the first sentence's mark (absent on turns recorded before it, or unheard). */
  networkMs?: number;
};

/** Past this much silence after the caller stops, a turn is flagged as slow (docs/decisions/0044). */
export const SILENT_TURN_MS = 1000;

export const latencyStages = [
  { key: "sttMs", label: "recogniser" },
  { key: "llmMs", label: "model" },
  { key: "ttsMs", label: "speech" },
  { key: "platformMs", label: "platform" },
  { key: "networkMs", label: "network" },
] as const;

/**
 * One turn's waterfall: its stages in order (network only when measured), the silence the caller
 * heard (to the relay's first audio, plus the way to the caller), and the stage that took longest.
 */
export function waterfall(latency: TurnLatency, latencyMs: number) {
  const stages = latencyStages
    .filter((s) => latency[s.key] != null)
    .map((s) => ({ ...s, ms: Math.max(0, latency[s.key] ?? 0) }));
  const heardMs = latencyMs + Math.max(0, latency.networkMs ?? 0);
  const slowest = stages.reduce((a, b) => (b.ms > a.ms ? b : a), stages[0]!);
  return { stages, heardMs, silent: heardMs > SILENT_TURN_MS, slowest };
}
