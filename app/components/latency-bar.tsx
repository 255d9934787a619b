import { latencyStages, type TurnLatency, waterfall } from "../../core/turn-latency";

const classOf = {
  sttMs: "lat-stt",
  llmMs: "lat-llm",
  ttsMs: "lat-tts",
  platformMs: "lat-platform",
  networkMs: "lat-network",
} as const;

/**
 * One reply's waterfall, the caller's last sound to the reply reaching them: recogniser, model,
 * speech, platform, then network (when measured), as stacked stages. Drawn in SVG (sizes are
 * attributes, not inline styles, which the CSP forbids); 2 s is the full width. A turn whose
 * caller heard over a second of silence is flagged with the stage that took longest.
 */
export function LatencyBar({ latency, totalMs }: { latency: TurnLatency; totalMs: number }) {
  const w = waterfall(latency, totalMs);
  const scale = 300 / Math.max(2000, w.heardMs);
  let x = 0;
  return (
    <span
      className="latency flex flex-wrap items-center gap-x-2 gap-y-1 text-xs"
      title={w.stages.map((s) => `${s.label} ${s.ms} ms`).join(", ")}
    >
      <svg
        width="300"
        height="10"
        viewBox="0 0 300 10"
        preserveAspectRatio="none"
        className="inline-block h-2.5 w-full max-w-[300px] flex-1"
        role="img"
        aria-label={`${totalMs} ms to first audio`}
      >
        {w.stages.map((s) => {
          const width = s.ms * scale;
          const rect = <rect key={s.key} className={classOf[s.key]} x={x} y={0} width={width} height={10} />;
          x += width;
          return rect;
        })}
      </svg>
      <span className="text-muted tabular-nums">{totalMs} ms</span>
      {w.silent && (
        <strong className="lat-silent" data-testid="silent-turn">
          caller heard {(w.heardMs / 1000).toFixed(1)} s of silence; slowest: {w.slowest.label} {w.slowest.ms} ms
        </strong>
      )}
    </span>
  );
}

/** What the colours of the bars stand for, once above the transcript. */
export function LatencyLegend() {
  return (
    <p className="latency-legend flex flex-wrap items-center gap-x-3 gap-y-1 text-xs text-muted">
      <span>Reply latency, from the caller's last word:</span>
      {latencyStages.map((s) => (
        <span key={s.key} className="inline-flex items-center gap-1">
          <svg width="10" height="10" aria-hidden="true" className="inline-block">
            <rect className={classOf[s.key]} width={10} height={10} />
          </svg>
          {s.label}
        </span>
      ))}
    </p>
  );
}
