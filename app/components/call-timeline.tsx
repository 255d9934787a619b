import { formatOffset } from "~/utils/format";
import { Badge, type BadgeTone } from "./ui/badge";
import type { Playback } from "./use-playback";

type Entry = {
  id: string;
  kind: "tool" | "barge-in" | "event";
  type: string;
  label: string | null;
  detail: string | null;
  atMs: number;
};
const tones: Record<Entry["kind"], BadgeTone> = { tool: "warn", "barge-in": "danger", event: "neutral" };

/** Tool calls, barge-ins and events in time order; with a recording, each offset plays from there. */
export function CallTimeline({ entries, playback }: { entries: Entry[]; playback: Playback | null }) {
  if (!entries.length) return <p className="text-sm text-muted">Nothing happened besides the conversation.</p>;
  return (
    <ol className="m-0 flex list-none flex-col gap-2 p-0 text-sm" data-testid="timeline">
      {entries.map((e) => (
        <li key={e.id} className="flex items-start gap-2" data-testid={`timeline-${e.kind}`}>
          {playback && e.atMs >= 0 ? (
            <button
              type="button"
              className="timeline-at tabular-nums"
              title="Play from here"
              onClick={() => playback.seek(e.atMs / 1000)}
            >
              {formatOffset(e.atMs)}
            </button>
          ) : (
            <span className="timeline-at tabular-nums text-muted">{formatOffset(e.atMs)}</span>
          )}
          <span className="min-w-0 break-words">
            <Badge tone={tones[e.kind]}>{e.kind === "event" ? "event" : e.kind}</Badge>{" "}
            {e.label && <strong>{e.label} </strong>}
            <code className="text-xs">{e.type}</code>
            {e.detail && <span className="block text-xs text-muted">{e.detail}</span>}
          </span>
        </li>
      ))}
    </ol>
  );
}
