import { z } from "zod";
import {
  hasVoicemailMessage,
  outboundCallLimits,
  outboundCallSettings,
  variableName,
} from "../../core/outbound-call-input";
import { checkAs, checkFields, type FormWording } from "./forms";

const e164 = z
  .string()
  .trim()
  .regex(/^\+[1-9]\d{7,14}$/, "Use E.164, like +14155550100");
const agentId = z.union([z.uuid(), z.literal("")]).transform((v) => v || null);

export const searchSchema = z.object({
  country: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{2}$/, "Use a two-letter country code, like US"),
  kind: z.enum(["local", "tollFree", "mobile"]),
  areaCode: z
    .string()
    .trim()
    .regex(/^\d{0,5}$/, "Digits only")
    .optional()
    .transform((v) => v || undefined),
  contains: z
    .string()
    .trim()
    .regex(/^[0-9*]{0,10}$/, "Digits (and *) only")
    .optional()
    .transform((v) => v || undefined),
});
export const buySchema = z.object({ e164, agentId: agentId.prefault("") });
export const importSchema = z.object({
  e164,
  accountSid: z
    .string()
    .trim()
    .regex(/^AC[0-9a-f]{32}$/i, "An account SID starts with AC and has 34 characters"),
  authToken: z.string().trim().min(16, "Paste the account's auth token"),
  agentId: agentId.prefault(""),
});
export const updateSchema = z.object({
  friendlyName: z.string().trim().min(1, "Give it a name").max(64),
  agentId: agentId.prefault(""),
});

/** `name = value` lines into call variables; names as `{{name}}` placeholders allow them. */
const variablesField = z
  .string()
  .default("")
  .transform((text, ctx) => {
    const out: Record<string, string> = {};
    for (const line of text
      .split("\n")
      .map((l) => l.trim())
      .filter(Boolean)) {
      const at = line.indexOf("=");
      const name = line.slice(0, at).trim();
      if (at < 0 || !variableName.test(name))
        ctx.addIssue({ code: "custom", message: `"${line.slice(0, 40)}" is not name = value` });
      else out[name] = line.slice(at + 1).trim();
    }
    return out;
  });

/** The portal's words, where they differ from the API's (the limits are the API's: core/outbound-call-input). */
const wording: FormWording = {
  message: ({ code, path }) => {
    if (path[0] === "fromNumberId") return "Choose a number to call from";
    if (path[0] === "agentId") return "Choose an agent";
    if (path[0] === "to" && code === "too_small") return "Who should the agent call?";
    if (path[0] === "variables") return `A variable's value is at most ${outboundCallLimits.variableValue} characters`;
    return undefined;
  },
  place: ({ path, message }) => ({ path: path.slice(0, 1), message }),
};

/** The "Call someone" form, mapped onto the call's request and checked by the same schema as the API's. */
export const outboundSchema = z.record(z.string(), z.unknown()).transform((form, ctx) => {
  const own = checkFields({ variables: variablesField }, form, ctx);
  const input = {
    ...form,
    variables: own.variables ?? {},
    voicemailMessage:
      typeof form.voicemailMessage === "string" ? form.voicemailMessage.trim() || null : form.voicemailMessage,
    screeningMessage:
      typeof form.screeningMessage === "string" ? form.screeningMessage.trim() || null : form.screeningMessage,
  };
  const call = checkAs(z.object(outboundCallSettings), input, ctx, wording);
  if (call && !hasVoicemailMessage(call))
    ctx.addIssue({ code: "custom", path: ["voicemailMessage"], message: "Write the message to leave" });
  return call ?? z.NEVER;
});
