import { z } from "zod";

/**
 * How an agent takes turns (docs/decisions/0042): every field optional, the engine's defaults
 * filling the rest, so an agent saved before a field existed keeps behaving as documented.
 */
export const turnTakingLimits = {
  minSpeechMs: { min: 60, max: 2000 },
  minWords: { min: 1, max: 10 },
  resumeAfterQuietMs: { min: 200, max: 5000 },
  maxPauseMs: { min: 500, max: 10_000 },
  echoMargin: { min: 0, max: 1 },
  endpointingExtraMs: { min: 0, max: 3000 },
  fillerAfterMs: { min: 0, max: 10_000 },
} as const;

export const defaultTurnTaking = {
  minSpeechMs: 200,
  minWords: 1,
  resumeAfterQuietMs: 600,
  maxPauseMs: 2500,
  echoMargin: 0.5,
  endpointingExtraMs: 1000,
  fillerAfterMs: 1500,
} as const satisfies Record<keyof typeof turnTakingLimits, number>;
export type TurnTaking = { -readonly [K in keyof typeof defaultTurnTaking]: number };

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
