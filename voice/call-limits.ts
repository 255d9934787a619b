import { saysEndPhrase } from "./end-phrases";

/**
 * When and why a call ends, decided in one place for every engine (docs/decisions/0028): a pure
 * reducer over what happens on the call, with the time of each event given, never read. The
 * engines report speech and transcripts and run the actions; `call-limits-clock.ts` ticks it.
 */
export type LimitReason = "max_duration" | "session_limit" | "trial_used";
/** A moment (ms since the call was answered) at which the call must end, and why. */
export type Deadline = { reason: LimitReason; atMs: number };
export type LimitsConfig = {
  deadlines: Deadline[];
  /** Quiet before a reprompt, and as long again before the goodbye; 0: never. */
  silenceTimeoutMs: number;
  endCallPhrases: string[];
  /** The longest a last line may take to be heard: the call ends then even if its mark never comes. */
  lastLineGraceMs: number;
};

/** What the relay knows of a call's limits beyond the agent's own settings. */
export type CallLimits = {
  deadlines?: Deadline[];
  lastLineGraceMs?: number;
  /** Keeps a deadline current while the call runs (the trial's minutes); returns how to stop. */
  watch?: (update: (deadline: { reason: LimitReason; atMs: number | null }) => void) => () => void;
};

/** A last line is a few seconds of speech; past this the call ends anyway (a lost mark, a stuck provider). */
export const LAST_LINE_GRACE_MS = 20_000;

/** The rules of one call: the agent's settings, and the call's own deadlines (the widget session's, the trial's). */
export const limitsFor = (
  agent: { maxDurationSeconds: number; silenceTimeoutSeconds: number; endCallPhrases: string[] },
  call: CallLimits = {},
): LimitsConfig => ({
  deadlines: [{ reason: "max_duration", atMs: agent.maxDurationSeconds * 1000 }, ...(call.deadlines ?? [])],
  silenceTimeoutMs: Math.max(0, agent.silenceTimeoutSeconds * 1000),
  endCallPhrases: agent.endCallPhrases,
  lastLineGraceMs: call.lastLineGraceMs ?? LAST_LINE_GRACE_MS,
});

export const limitLines = {
  reprompt: "Are you still there?",
  silenceGoodbye: "I haven't heard anything, so I'll hang up now. Goodbye.",
  /** Neutral on purpose: a trial's minutes running out is the business's matter, not the caller's. */
  timeLimit: "We've reached the time limit for this call. Goodbye.",
  /** After the caller says an end-call phrase. */
  goodbye: "Thank you for calling. Goodbye.",
};

export type LimitsEvent = { now: number } & (
  | { type: "tick" }
  /** The caller's voice (speech started, a loud frame, a transcript in progress). */
  | { type: "caller_voice" }
  /** A caller's turn, as transcribed. */
  | { type: "caller_said"; text: string }
  /** The agent owes a reply (the caller finished a turn, a response was asked for). */
  | { type: "agent_replying" }
  /** An agent turn started playing (every turn, even while another is still unheard). */
  | { type: "agent_speaking" }
  /** An agent turn's words, once known. */
  | { type: "agent_said"; text: string }
  /** Everything the agent sent has been heard or cut off. */
  | { type: "agent_quiet" }
  /** Sets (or, with null, lifts) the deadline of one reason, e.g. the trial's minutes as re-read. */
  | { type: "deadline"; reason: LimitReason; atMs: number | null }
  /** Any other ending (a tool, a provider failure): with a line to say first, or once the agent is quiet. */
  | { type: "end"; reason: string; line?: string }
  /** The last line could not be spoken. */
  | { type: "line_failed" }
  /** The call is over (hung up by either side): nothing more is decided. */
  | { type: "closed" }
);
export type LimitsAction =
  | { kind: "reprompt"; line: string }
  /** Cut off whatever is playing, say `line`; the call ends once it is heard. */
  | { kind: "goodbye"; reason: string; line: string }
  | { kind: "hang_up"; reason: string };

export type LimitsState = Readonly<{
  phase: "live" | "ending" | "ended";
  reason: string | null;
  endingSince: number;
  /** Ending: the last line has started playing, so the next quiet means it was heard. */
  lineStarted: boolean;
  deadlines: readonly Deadline[];
  agentSpeaking: boolean;
  awaitingReply: boolean;
  /** The last moment anyone was heard (the caller's voice, or the agent falling quiet). */
  quietSince: number;
  reprompted: boolean;
}>;

export const initialLimits = (config: LimitsConfig): LimitsState => ({
  phase: "live",
  reason: null,
  endingSince: 0,
  lineStarted: false,
  deadlines: config.deadlines,
  agentSpeaking: false,
  awaitingReply: false,
  quietSince: 0,
  reprompted: false,
});

const firstDeadline = (s: LimitsState) =>
  s.deadlines.reduce<Deadline | null>((a, d) => (a && a.atMs <= d.atMs ? a : d), null);

/** Ending: the call is hung up by then, whether or not the last line was heard. */
const hardStop = (config: LimitsConfig, s: LimitsState) =>
  Math.min(s.endingSince, firstDeadline(s)?.atMs ?? Number.POSITIVE_INFINITY) + config.lastLineGraceMs;

const silenceDue = (config: LimitsConfig, s: LimitsState) =>
  config.silenceTimeoutMs > 0 && !s.agentSpeaking && !s.awaitingReply ? s.quietSince + config.silenceTimeoutMs : null;

/** When the state next needs a tick (ms since answer); null: only an event can change anything. */
export function nextWake(config: LimitsConfig, s: LimitsState): number | null {
  if (s.phase === "ended") return null;
  if (s.phase === "ending") return hardStop(config, s);
  const times = [firstDeadline(s)?.atMs, silenceDue(config, s)].filter((t): t is number => t != null);
  return times.length ? Math.min(...times) : null;
}

export function stepLimits(config: LimitsConfig, state: LimitsState, e: LimitsEvent) {
  const actions: LimitsAction[] = [];
  if (state.phase === "ended") return { state, actions };
  const s: { -readonly [K in keyof LimitsState]: LimitsState[K] } = { ...state };
  const hangUp = () => {
    s.phase = "ended";
    actions.push({ kind: "hang_up", reason: s.reason! });
  };
  const beginEnding = (reason: string, line?: string) => {
    s.phase = "ending";
    s.reason = reason;
    s.endingSince = e.now;
    // Without a line of its own, what the agent is saying now is the last line.
    s.lineStarted = !line;
    if (line) actions.push({ kind: "goodbye", reason, line });
    else if (!s.agentSpeaking) hangUp();
  };
  const heard = () => (s.quietSince = Math.max(s.quietSince, e.now));

  switch (e.type) {
    case "caller_voice":
      heard();
      break;
    case "caller_said":
      heard();
      if (e.text.trim()) s.reprompted = false;
      if (s.phase === "live" && saysEndPhrase(e.text, config.endCallPhrases))
        beginEnding("end_call_phrase", limitLines.goodbye);
      break;
    case "agent_replying":
      s.awaitingReply = true;
      break;
    case "agent_speaking":
      s.agentSpeaking = true;
      s.awaitingReply = false;
      if (s.phase === "ending") s.lineStarted = true;
      break;
    case "agent_said":
      if (s.phase === "live" && saysEndPhrase(e.text, config.endCallPhrases)) beginEnding("end_call_phrase");
      break;
    case "agent_quiet":
      s.agentSpeaking = false;
      s.awaitingReply = false;
      heard();
      if (s.phase === "ending" && s.lineStarted) hangUp();
      break;
    case "deadline": {
      const others = s.deadlines.filter((d) => d.reason !== e.reason);
      // A limit already passed ends the call now: it cannot end it in the past.
      s.deadlines = e.atMs === null ? others : [...others, { reason: e.reason, atMs: Math.max(e.atMs, e.now) }];
      break;
    }
    case "end":
      if (s.phase === "live") beginEnding(e.reason, e.line);
      break;
    case "line_failed":
      if (s.phase === "ending") hangUp();
      break;
    case "closed":
      s.phase = "ended";
      break;
  }

  if (s.phase === "live") {
    const due = firstDeadline(s);
    const quiet = silenceDue(config, s);
    if (due && e.now >= due.atMs) beginEnding(due.reason, limitLines.timeLimit);
    else if (quiet !== null && e.now >= quiet) {
      if (s.reprompted) beginEnding("silence_timeout", limitLines.silenceGoodbye);
      else {
        s.reprompted = true;
        s.quietSince = e.now;
        actions.push({ kind: "reprompt", line: limitLines.reprompt });
      }
    }
  } else if (s.phase === "ending" && e.now >= hardStop(config, s)) hangUp();
  return { state: s as LimitsState, actions };
}
