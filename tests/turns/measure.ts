import type { CallRecord } from "./call";
import { LONG_LINE } from "./lines";

/** What one call shows from the outside: the player's timeline and the recorded transcript. */
export type Measured = {
  name: string;
  kind: CallRecord["scenario"]["kind"];
  /** Stream `start` → first agent audio. */
  firstGreetingMs: number | null;
  /** The long line went silent before its end (a `clear`, or a gap in its audio). */
  cut: boolean;
  /** Its last sentence was heard in the end, in a turn not marked interrupted. */
  resumed: boolean;
  /** Backchannel, noise, echo, silence: cut for good (not resumed, or its turn `interrupted`). */
  falseBargeIn: boolean | null;
  /** Cut and resumed: silence → audible again. */
  resumeMs: number | null;
  /** Real interruption: the caller's first sound → the agent silent. */
  stopMs: number | null;
  /** Real interruption: the agent still talking 1 s after the caller began. */
  missedInterruption: boolean | null;
  /** Interrupted line: the recorded text is the sentences whose marks playback reached. */
  heardMatchesPlayed: boolean | null;
  heard: { recorded: string | null; played: string } | null;
  /** Caller's last word end → the agent's next audio. */
  endOfTurnMs: number | null;
  /** Caller turns the clip was recorded as (more than one: its words were split into turns). */
  callerTurns: number;
  /** The agent started answering before the caller's last word ended. */
  answeredEarly: boolean;
  /** Silence between the caller's end and the slow tool's answer being heard. */
  deadAirMs: number | null;
};

const firstStartAfter = (r: CallRecord, t: number) => r.audible.find((a) => a.start >= t)?.start ?? null;

export function measure(r: CallRecord): Measured {
  const { scenario, clip } = r;
  const kind = scenario.kind;
  const firstGreetingMs = r.audible[0] ? r.audible[0].start - r.startedAt : null;
  const lastWord = clip.words.at(-1);
  const lastWordEnd = lastWord ? r.clipAt + lastWord.endMs : null;
  const out: Measured = {
    name: scenario.name,
    kind,
    firstGreetingMs,
    cut: false,
    resumed: false,
    falseBargeIn: null,
    resumeMs: null,
    stopMs: null,
    missedInterruption: null,
    heardMatchesPlayed: null,
    heard: null,
    endOfTurnMs: null,
    answeredEarly: false,
    deadAirMs: null,
    callerTurns: r.turns.filter((t) => t.speaker === "caller").length - (scenario.during === "line" ? 1 : 0),
  };
  const nextAudioAfter = (t: number) => {
    const playingThen = r.audible.some((a) => a.start < t && t < a.end);
    const next = firstStartAfter(r, t);
    return playingThen || next === null ? null : next - t;
  };
  if (lastWordEnd !== null) {
    out.endOfTurnMs = nextAudioAfter(lastWordEnd);
    const firstWordEnd = r.clipAt + clip.words[0]!.endMs;
    out.answeredEarly = r.audible.some((a) => a.start > firstWordEnd && a.start < lastWordEnd);
  }
  if (kind === "tool" && lastWordEnd !== null && r.toolAnsweredAt) {
    const answer = firstStartAfter(r, r.toolAnsweredAt) ?? lastWordEnd;
    const spoken = r.audible.reduce(
      (n, a) => n + Math.max(0, Math.min(a.end, answer) - Math.max(a.start, lastWordEnd)),
      0,
    );
    out.deadAirMs = answer - lastWordEnd - spoken;
  }
  if (scenario.during !== "line" || r.questionEnd === null) return out;

  // The long line: the agent turn that begins with its first sentence, and its sentence marks.
  const line = r.turns.find((t) => t.speaker === "agent" && t.text.startsWith(LONG_LINE[0]!.split(" ")[0]!));
  const lineSeq = line?.seq ?? 2;
  const lineMarks = r.marks.filter((m) => m.name === `turn-${lineSeq}` || m.name.startsWith(`turn-${lineSeq}.`));
  const ended = lineMarks.find((m) => m.name === `turn-${lineSeq}`);
  const lineStart = firstStartAfter(r, r.questionEnd);
  const onset = scenario.echo ? (lineStart ?? 0) + scenario.echo.delayMs : r.clipAt;
  // The audio playing when the caller's sound began, and where it stopped.
  const span = r.audible.find((a) => a.start <= onset && onset < a.end);
  const stopAt = span ? span.end : onset;
  out.cut = lineMarks.some((m) => m.cleared) || (!!ended && !!span && ended.at - span.end > 30);
  const lastSentence = LONG_LINE.at(-1)!;
  out.resumed = r.turns.some((t) => t.speaker === "agent" && t.seq >= lineSeq && t.text.includes(lastSentence));
  if (out.cut && out.resumed) {
    const again = firstStartAfter(r, stopAt + 1);
    out.resumeMs = again === null ? null : again - stopAt;
  }
  if (kind === "interruption") {
    out.stopMs = Math.max(0, stopAt - onset);
    out.missedInterruption = out.stopMs > 1000;
    const played = LONG_LINE.filter((_, i) => lineMarks.some((m) => m.name === `turn-${lineSeq}.${i}` && !m.cleared));
    out.heard = { recorded: line?.text ?? null, played: played.join(" ") };
    out.heardMatchesPlayed = (line?.text ?? "") === played.join(" ");
  } else {
    out.falseBargeIn = !out.resumed || Boolean(line?.interrupted);
  }
  return out;
}
