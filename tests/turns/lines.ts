/** The agent's long line: its sentences are what the caller talks over (16 words, 4.8 s of the TTS fake's audio). */
export const LONG_LINE = ["We open at nine on weekdays.", "On Saturdays we open at ten.", "We close on Sundays."];
export const GREETING = "Hello, Acme here.";
export const SHORT_REPLY = "Of course.";
export const TOOL_ANSWER = "Yes, your order is ready.";
/** How long the tenant's order endpoint takes to answer: the slow tool's dead air. */
export const SLOW_TOOL_MS = 3000;
