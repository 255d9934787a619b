import { z } from "zod";
import { turnTakingLimits } from "./turn-taking-limits";

export { defaultTurnTaking, type TurnTaking, turnTakingLimits } from "./turn-taking-limits";

/** The turn-taking settings an agent may be given, each within its limits. */
const L = turnTakingLimits;
const ms = (k: Exclude<keyof typeof L, "echoMargin">) => z.number().int().min(L[k].min).max(L[k].max).optional();
export const turnTaking = z
  .object({
    minSpeechMs: ms("minSpeechMs"),
    minWords: ms("minWords"),
    resumeAfterQuietMs: ms("resumeAfterQuietMs"),
    maxPauseMs: ms("maxPauseMs"),
    echoMargin: z.number().min(L.echoMargin.min).max(L.echoMargin.max).optional(),
    endpointingExtraMs: ms("endpointingExtraMs"),
    fillerAfterMs: ms("fillerAfterMs"),
  })
  .strict();
