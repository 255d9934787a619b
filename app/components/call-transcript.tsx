import { formatOffset } from "~/utils/format";
import type { TurnLatency } from "../../core/turn-latency";
import { LatencyBar } from "./latency-bar";
import { Badge } from "./ui/badge";
import { cn } from "./ui/cn";
import type { Playback } from "./use-playback";

type Turn = {
  seq: number;
  speaker: "agent" | "caller" | "tool";
  text: string;
  offsetMs: number;
  interrupted: boolean;
  latencyMs: number | null;
  latency: TurnLatency | null;
};

/** The turn being heard: the last one said at or before the position (tool calls are not heard). */
export function currentTurn(turns: Turn[], seconds: number) {
  let current: number | null = null;
  for (const t of turns) if (t.speaker !== "tool" && t.offsetMs <= seconds * 1000 + 50) current = t.seq;
  return current;
}

/**
 * What was said, each line with its offset and (for a reply) its latency waterfall. With a
 * recording, a line is a button that plays from it, and the line being heard is marked current.
 */
export function CallTranscript({ turns, playback }: { turns: Turn[]; playback: Playback | null }) {
  const heard = playback && (playback.time > 0 || playback.playing) ? currentTurn(turns, playback.time) : null;
  return (
    <ol className="m-0 flex list-none flex-col gap-1 p-0" data-testid="transcript">
      {turns.map((t) => {
        const head = (
          <>
            <span className="flex items-center gap-2">
              <Badge tone={t.speaker === "agent" ? "info" : t.speaker === "tool" ? "warn" : "neutral"}>
                {t.speaker}
              </Badge>
              <span className="text-xs text-muted tabular-nums">{formatOffset(t.offsetMs)}</span>
            </span>
            <span className={cn("min-w-0 break-words", t.speaker === "tool" && "font-mono text-xs")}>
              {t.text}
              {t.interrupted && <em className="text-muted"> (interrupted)</em>}
            </span>
          </>
        );
        const current = heard === t.seq;
        return (
          <li
            key={t.seq}
            data-testid={`turn-${t.seq}`}
            aria-current={current ? "true" : undefined}
            className={cn("turn rounded-md px-2 py-1", current && "turn-current")}
          >
            {playback ? (
              <button
                type="button"
                className="turn-seek"
                onClick={() => playback.seek(t.offsetMs / 1000)}
                title="Play from here"
              >
                {head}
              </button>
            ) : (
              <div className="turn-seek">{head}</div>
            )}
            {t.latency && t.latencyMs != null && <LatencyBar latency={t.latency} totalMs={t.latencyMs} />}
          </li>
        );
      })}
    </ol>
  );
}
