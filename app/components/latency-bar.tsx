import type { TurnLatency } from "../../core/turn-latency";

const stages = [
  { key: "sttMs", label: "speech-to-text", className: "lat-stt" },
  { key: "llmMs", label: "model first token", className: "lat-llm" },
  { key: "ttsMs", label: "text-to-speech first byte", className: "lat-tts" },
  { key: "platformMs", label: "BVRAI", className: "lat-platform" },
] as const;

/**
 * One reply's latency, end of caller speech to first audio sent, as stacked stages. Drawn in SVG
 * (sizes are attributes, not inline styles, which the CSP forbids); 2 s is the full width.
 */
export function LatencyBar({ latency, totalMs }: { latency: TurnLatency; totalMs: number }) {
  const scale = 300 / Math.max(2000, totalMs);
  let x = 0;
  return (
    <span className="latency" title={stages.map((s) => `${s.label} ${latency[s.key]} ms`).join(", ")}>
      <svg width="300" height="10" role="img" aria-label={`${totalMs} ms to first audio`}>
        {stages.map((s) => {
          const w = Math.max(0, latency[s.key]) * scale;
          const rect = <rect key={s.key} className={s.className} x={x} y={0} width={w} height={10} />;
          x += w;
          return rect;
        })}
      </svg>
      <span className="muted"> {totalMs} ms</span>
    </span>
  );
}
