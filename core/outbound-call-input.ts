import { z } from "zod";
import { screeningActions } from "./answered-by";
import { outboundCallLimits } from "./outbound-call-limits";

export { outboundCallLimits } from "./outbound-call-limits";

const L = outboundCallLimits;

/** Call variables are named as the prompt's `{{name}}` placeholders allow. */
export const variableName = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** An outbound call's request, with its limits: the API's body, and what the portal's form maps its fields onto (app/utils/number-form). */
export const outboundCallSettings = {
  fromNumberId: z.uuid(),
  to: z.string().trim().min(1).max(L.to),
  agentId: z.uuid(),
  variables: z.record(z.string().regex(variableName), z.string().max(L.variableValue)).default({}),
  machineDetection: z.enum(["off", "hangup", "leave_message"]).default("off"),
  voicemailMessage: z.string().trim().max(L.voicemailMessage).nullable().default(null),
  /** A call-screening assistant answers (docs/decisions/0045): by default the agent says who is calling and why, and waits. */
  screeningAction: z.enum(screeningActions).default("state_purpose"),
  /** The line stating the purpose (`{{variables}}` allowed); null: the agent's first message. */
  screeningMessage: z.string().trim().max(L.screeningMessage).nullable().default(null),
};

/** Leaving a message, on a machine or with a screening assistant, needs the message (each surface words the refusal its own way). */
export const hasVoicemailMessage = (v: {
  machineDetection: string;
  voicemailMessage: string | null;
  screeningAction?: string;
}) => (v.machineDetection !== "leave_message" && v.screeningAction !== "leave_message") || Boolean(v.voicemailMessage);
