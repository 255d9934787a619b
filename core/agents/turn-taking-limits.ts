/**
 * How an agent takes turns (docs/decisions/0042): every field optional, the engine's defaults
 * filling the rest, so an agent saved before a field existed keeps behaving as documented.
 * The limits and defaults apart from the schema (turn-taking), so the portal's form reads them
 * in the browser without zod (docs/decisions/0046).
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
