/**
 * Every limit on an outbound call's request, one constant each: the API and the portal's form both
 * read these (a campaign's voicemail message too). Apart from the schema (outbound-call-input), so
 * the form reads them in the browser without zod (docs/decisions/0046).
 */
export const outboundCallLimits = { to: 32, variableValue: 500, voicemailMessage: 500, screeningMessage: 300 } as const;
