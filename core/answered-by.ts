/**
 * How an outbound call was answered, as a first-class outcome of the call (docs/decisions/0045):
 * `human`, `voicemail` (an answering machine), `screening` (a call-screening assistant asked who is
 * calling), `fax`, or `unknown` (detection ran and could not tell). Null: nothing was detected
 * (an inbound or web call, or an outbound one placed with detection off and never screened).
 */
export const answeredByValues = ["human", "voicemail", "screening", "fax", "unknown"] as const;
export type AnsweredBy = (typeof answeredByValues)[number];

/**
 * Twilio's AnsweredBy values, as its Answering Machine Detection documents them
 * (https://www.twilio.com/docs/voice/answering-machine-detection): `human`, `machine_start`
 * (MachineDetection=Enable: a machine, at once), `machine_end_beep`, `machine_end_silence`,
 * `machine_end_other` (DetectMessageEnd: the greeting is over), `fax`, `unknown`.
 */
export const twilioAnsweredBy = {
  human: "human",
  machine_start: "voicemail",
  machine_end_beep: "voicemail",
  machine_end_silence: "voicemail",
  machine_end_other: "voicemail",
  fax: "fax",
  unknown: "unknown",
} as const satisfies Record<string, AnsweredBy>;

/**
 * Twilio's AnsweredBy as our outcome; absent (detection was off) is null. A value Twilio does not
 * document is `unknown`, never a guess: the callee is then treated as a person (the agent talks).
 */
export function answeredByFromTwilio(value: string | undefined): AnsweredBy | null {
  if (value === undefined || value === "") return null;
  return Object.hasOwn(twilioAnsweredBy, value) ? twilioAnsweredBy[value as keyof typeof twilioAnsweredBy] : "unknown";
}

/** What the agent does when a call-screening assistant answers an outbound call. */
export const screeningActions = ["state_purpose", "leave_message", "hang_up"] as const;
export type ScreeningAction = (typeof screeningActions)[number];

/**
 * A campaign row whose call reached nobody and left nothing (a machine hung up on, a screening
 * assistant hung up on) is dialled again, like one not answered; a message left, a purpose stated
 * or a fax line is not. `endReason` is the call's: `voicemail` when a message was left.
 */
export function worthRetrying(answeredBy: AnsweredBy | null, endReason: string | null) {
  if (answeredBy === "voicemail") return endReason !== "voicemail";
  if (answeredBy === "screening") return endReason === "screening";
  return false;
}
