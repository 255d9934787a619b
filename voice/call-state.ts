import {
  initialLimits,
  type LimitsAction,
  type LimitsConfig,
  type LimitsEvent,
  type LimitsState,
  nextWake as limitsWake,
  stepLimits,
} from "./call-limits";
import type { ToolAction } from "./tools";

/**
 * One call's lifecycle, the same for both engines (docs/decisions/0033): the agent's lines in
 * flight and how much of each the caller heard, a tool's effect held until the words before it are
 * heard, and the ending, whose rules stay in the call-limits reducer it drives. Pure: each event
 * gives the next state and the effects the engine performs (record a line, say a line, hang up).
 */
export type Transfer = Extract<ToolAction, { kind: "transfer" }>;
/** An agent line: its words as sent, and its length in the engine's units (words, ms of audio). */
export type Line = Readonly<{ id: string; text: string; sent: number; heard: number }>;

export type CallState = Readonly<{
  limits: LimitsState;
  /** Lines sent and neither heard to their end nor cut off, oldest first. */
  playing: readonly Line[];
  /** A transfer waiting for the lines before it to be heard. */
  handOver: Transfer | null;
  /** A transfer is under way: the caller no longer cuts the agent off. */
  handingOver: boolean;
}>;

type Own =
  /** A line starts: the engine reports its words and units as they go out. */
  | { type: "line_started"; id: string }
  | { type: "line_sent"; id: string; text: string; units: number }
  /** The caller has heard `units` of the line (its marks came back). */
  | { type: "mark_heard"; id: string; units: number }
  /** The line's end mark came back: all of it was heard. */
  | { type: "line_heard"; id: string }
  /** The line will never be heard past its marks (its provider stopped, its response was cancelled). */
  | { type: "line_dropped"; id: string }
  /** Barge-in: everything still playing was cleared, each line keeps what was heard of it. */
  | { type: "cleared" }
  /** A response ended: with nothing of it playing, the agent is quiet (it only called a tool). */
  | { type: "reply_done" }
  | { type: "tool_result"; action: ToolAction }
  /** The media stream is gone (the caller hung up, or we did): no line is heard past its marks. */
  | { type: "transport_closed" };
type Passed = Exclude<LimitsEvent, { type: "agent_speaking" | "agent_quiet" | "closed" }>;
export type CallEvent = Passed | ({ now: number } & Own);
export type CallEffect =
  | LimitsAction
  /** A line is over: `text` is what the caller heard of it (empty: nothing to record). */
  | { kind: "line_done"; id: string; text: string; interrupted: boolean }
  | { kind: "hand_over"; action: Transfer };

export const initialCall = (config: LimitsConfig): CallState => ({
  limits: initialLimits(config),
  playing: [],
  handOver: null,
  handingOver: false,
});

const words = (text: string) => text.split(/\s+/).filter(Boolean);

/** What the caller heard of a line: its words in proportion to the units heard, never more than sent. */
export function heardText(line: Line) {
  if (line.sent <= 0) return "";
  if (line.heard >= line.sent) return line.text.trim();
  const all = words(line.text);
  return all.slice(0, Math.floor((all.length * line.heard) / line.sent)).join(" ");
}

export const nextWake = (config: LimitsConfig, s: CallState) => limitsWake(config, s.limits);
export const canBargeIn = (s: CallState) => s.limits.phase === "live" && !s.handingOver && s.playing.length > 0;

const ownTypes = new Set<string>([
  "line_started",
  "line_sent",
  "mark_heard",
  "line_heard",
  "line_dropped",
  "cleared",
  "reply_done",
  "tool_result",
  "transport_closed",
] satisfies Own["type"][]);
const isOwn = (e: CallEvent): e is { now: number } & Own => ownTypes.has(e.type);

export function stepCall(
  config: LimitsConfig,
  state: CallState,
  e: CallEvent,
): { state: CallState; effects: CallEffect[] } {
  // The caller's voice arrives with every loud 20 ms frame: what only the limits rules take goes
  // straight to them, with nothing built for the lines.
  if (!isOwn(e)) {
    const r = stepLimits(config, state.limits, e);
    return { state: r.state === state.limits ? state : { ...state, limits: r.state }, effects: r.actions };
  }
  const effects: CallEffect[] = [];
  let { limits, playing, handOver, handingOver } = state;
  const toLimits = (event: LimitsEvent) => {
    const r = stepLimits(config, limits, event);
    limits = r.state;
    effects.push(...r.actions);
  };
  const update = (id: string, change: (l: Line) => Line) => {
    playing = playing.map((l) => (l.id === id ? change(l) : l));
  };
  const finish = (ids: string[], interrupted: boolean) => {
    const done = playing.filter((l) => ids.includes(l.id));
    if (!done.length) return;
    playing = playing.filter((l) => !ids.includes(l.id));
    for (const l of done) {
      effects.push({ kind: "line_done", id: l.id, text: interrupted ? heardText(l) : l.text.trim(), interrupted });
    }
    if (playing.length) return;
    toLimits({ type: "agent_quiet", now: e.now });
    if (handOver && !interrupted && limits.phase === "live") {
      effects.push({ kind: "hand_over", action: handOver });
      handOver = null;
    }
  };

  switch (e.type) {
    case "line_started":
      if (playing.some((l) => l.id === e.id)) break;
      playing = [...playing, { id: e.id, text: "", sent: 0, heard: 0 }];
      toLimits({ type: "agent_speaking", now: e.now });
      break;
    case "line_sent":
      update(e.id, (l) => ({ ...l, text: l.text + e.text, sent: l.sent + Math.max(0, e.units) }));
      break;
    case "mark_heard":
      update(e.id, (l) => ({ ...l, heard: Math.min(l.sent, Math.max(l.heard, e.units)) }));
      break;
    case "line_heard":
      finish([e.id], false);
      break;
    case "line_dropped":
      finish([e.id], true);
      break;
    case "cleared":
      finish(
        playing.map((l) => l.id),
        true,
      );
      break;
    case "tool_result":
      if (e.action.kind === "end_call") toLimits({ type: "end", reason: "end_call_tool", now: e.now });
      else if (limits.phase === "live" && !handingOver) {
        handingOver = true;
        if (playing.length) handOver = e.action;
        else effects.push({ kind: "hand_over", action: e.action });
      }
      break;
    case "reply_done":
      if (!playing.length) toLimits({ type: "agent_quiet", now: e.now });
      break;
    case "transport_closed":
      // Closed first: the lines cut off here end nothing more (no hang-up after the caller's).
      toLimits({ type: "closed", now: e.now });
      finish(
        playing.map((l) => l.id),
        true,
      );
      break;
  }
  return { state: { limits, playing, handOver, handingOver }, effects };
}
