import { useEffect, useState } from "react";
import { formatClock } from "~/utils/format";
import { Button } from "./ui/button";
import { type Playback, playbackRates } from "./use-playback";

type Waveform = { durationMs: number; channels: number[][]; sampled: boolean };
const W = 600;
const LANE = 48;
const lanes = [
  { name: "caller", label: "Caller", y: 0 },
  { name: "agent", label: "Agent", y: LANE + 4 },
] as const;

/**
 * The recording: play/pause, position, speed, and the two sides' waveforms (caller above,
 * agent below) as a seek slider. Drawn in SVG with attributes only (the CSP forbids inline styles);
 * the peaks come from the server (a linear pass over the stored file), fetched after the page.
 */
export function CallPlayer({
  callId,
  playback,
  marks = [],
}: {
  callId: string;
  playback: Playback;
  /** Tool calls and events, ticked along the top of the waveform. */
  marks?: { id: string; atMs: number; label: string }[];
}) {
  const { audioRef, time, duration, playing, rate, seek, toggle, setRate } = playback;
  const [wave, setWave] = useState<Waveform | "failed" | null>(null);
  useEffect(() => {
    let live = true;
    fetch(`/calls/${callId}/waveform`)
      .then((r) => (r.ok ? r.json() : { error: r.statusText }))
      .then((w: Waveform | { error: string }) => live && setWave("error" in w ? "failed" : w))
      .catch(() => live && setWave("failed"));
    return () => {
      live = false;
    };
  }, [callId]);
  const x = duration > 0 ? Math.min(W, (time / duration) * W) : 0;
  const onKey = (e: React.KeyboardEvent) => {
    const to = { ArrowLeft: time - 5, ArrowRight: time + 5, Home: 0, End: duration }[e.key];
    if (to === undefined) return;
    e.preventDefault();
    seek(to);
  };
  const onClick = (e: React.MouseEvent<HTMLDivElement>) => {
    const box = e.currentTarget.getBoundingClientRect();
    if (box.width > 0) seek(((e.clientX - box.left) / box.width) * duration);
  };
  return (
    <div className="flex flex-col gap-3" data-testid="recording-player">
      {/* biome-ignore lint/a11y/useMediaCaption: a phone call has no captions; its transcript is beside it. */}
      <audio ref={audioRef} preload="metadata" src={`/calls/${callId}/recording`} data-testid="recording-audio" />
      <div
        role="slider"
        tabIndex={0}
        aria-label="Position in the recording"
        aria-valuemin={0}
        aria-valuemax={Math.round(duration)}
        aria-valuenow={Math.round(time)}
        aria-valuetext={`${formatClock(time)} of ${formatClock(duration)}`}
        onKeyDown={onKey}
        onClick={onClick}
        className="waveform cursor-pointer rounded-md border border-line bg-sunken focus-visible:outline-2"
        data-testid="waveform"
      >
        <svg
          viewBox={`0 0 ${W} ${2 * LANE + 4}`}
          preserveAspectRatio="none"
          className="block h-28 w-full"
          aria-hidden="true"
        >
          {lanes.map((lane, c) => (
            <g key={lane.name} className={`wave-${lane.name}`} data-testid={`waveform-lane-${lane.name}`}>
              <rect x={0} y={lane.y} width={W} height={LANE} className="wave-lane" />
              <path d={wave && wave !== "failed" ? bars(wave, c, lane.y) : `M0 ${lane.y + LANE / 2}H${W}`} />
            </g>
          ))}
          {duration > 0 &&
            marks
              .filter((m) => m.atMs >= 0 && m.atMs <= duration * 1000)
              .map((m) => {
                const mx = ((m.atMs / 1000) * W) / duration;
                return (
                  <line key={m.id} x1={mx} x2={mx} y1={0} y2={8} className="wave-mark">
                    <title>{m.label}</title>
                  </line>
                );
              })}
          <line x1={x} x2={x} y1={0} y2={2 * LANE + 4} className="wave-playhead" data-testid="playhead" />
        </svg>
      </div>
      <div className="flex flex-wrap items-center gap-2 text-sm">
        <Button type="button" size="sm" onClick={toggle} aria-label={playing ? "Pause" : "Play"}>
          {playing ? "Pause" : "Play"}
        </Button>
        <span className="tabular-nums" data-testid="playback-time">
          {formatClock(time)} / {formatClock(duration)}
        </span>
        <span className="ml-auto flex items-center gap-1">
          <span className="text-muted">Speed</span>
          {playbackRates.map((r) => (
            <Button
              key={r}
              type="button"
              size="sm"
              variant={rate === r ? "primary" : "ghost"}
              aria-pressed={rate === r}
              onClick={() => setRate(r)}
            >
              {r}×
            </Button>
          ))}
        </span>
      </div>
      <p className="m-0 flex flex-wrap gap-3 text-xs text-muted">
        {lanes.map((l) => (
          <span key={l.name} className="inline-flex items-center gap-1">
            <svg width="10" height="10" aria-hidden="true" className={`wave-${l.name}`}>
              <rect width={10} height={10} />
            </svg>
            {l.label}
          </span>
        ))}
        {wave === "failed" && <span>The waveform could not be drawn; the recording still plays.</span>}
        {wave && wave !== "failed" && wave.sampled && <span>Waveform sampled across this long call.</span>}
        <span>← → move 5 s</span>
      </p>
    </div>
  );
}

/** One vertical bar per bucket, centred in its lane, scaled to the loudest sample of either side. */
function bars(wave: Waveform, channel: number, top: number) {
  const peaks = wave.channels[channel] ?? [];
  const loudest = Math.max(1, ...wave.channels.flat());
  const step = W / Math.max(1, peaks.length);
  const mid = top + LANE / 2;
  let d = "";
  for (let i = 0; i < peaks.length; i++) {
    const h = Math.max(0.5, (peaks[i]! / loudest) * (LANE / 2 - 1));
    d += `M${(i * step + step / 2).toFixed(1)} ${(mid - h).toFixed(1)}V${(mid + h).toFixed(1)}`;
  }
  return d || `M0 ${mid}H${W}`;
}
