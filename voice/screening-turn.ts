import type { ScreeningAction } from "../core/answered-by";
import { fillTemplate } from "../core/template";
import { detectScreening, type ScreeningMatch } from "./call-screening";

/** What the conversation does instead of replying: say a line and listen on, or end the call (after a line, if any). */
export type ScreenedTurn = { say: string } | { end: "voicemail" | "screening"; line?: string };

/** The callee's first turns are where an assistant introduces itself; after them, nothing is screened. */
export const SCREENING_LISTEN_TURNS = 2;
/** With no purpose line and no first message, the agent still says who it is. */
export const DEFAULT_PURPOSE_LINE = "Hello, this is an automated assistant returning a call. I'll hold for them.";

/**
 * The conversation's `screen` dependency for an outbound call (docs/decisions/0045): each final
 * transcript of the callee's first turns (joined, so a prompt split in two still matches) is
 * checked once; on a screening assistant the call's configured behaviour is returned, and
 * `onScreened` records it. After a match, or those turns, it answers null: the agent talks.
 */
export function screeningTurns(
  config: { action: ScreeningAction; message: string | null },
  call: { firstMessage: string; voicemailMessage: string | null; variables: Record<string, string> },
  onScreened: (match: ScreeningMatch, action: ScreeningAction) => void,
) {
  const heard: string[] = [];
  let decided = false;
  const fill = (text: string) => fillTemplate(text, call.variables).trim();
  return (said: string): ScreenedTurn | null => {
    if (decided || heard.length >= SCREENING_LISTEN_TURNS) return null;
    heard.push(said);
    const match = detectScreening(heard.join(" "));
    if (!match) return null;
    decided = true;
    onScreened(match, config.action);
    if (config.action === "state_purpose")
      return { say: fill(config.message ?? "") || fill(call.firstMessage) || DEFAULT_PURPOSE_LINE };
    if (config.action === "leave_message" && call.voicemailMessage?.trim())
      return { end: "voicemail", line: fill(call.voicemailMessage) };
    return { end: "screening" };
  };
}
