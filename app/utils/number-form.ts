import { z } from "zod";

const e164 = z.string().trim().regex(/^\+[1-9]\d{7,14}$/, "Use E.164, like +14155550100");
const agentId = z.union([z.uuid(), z.literal("")]).transform((v) => v || null);

export const searchSchema = z.object({
  country: z.string().trim().toUpperCase().regex(/^[A-Z]{2}$/, "Use a two-letter country code, like US"),
  kind: z.enum(["local", "tollFree", "mobile"]),
  areaCode: z.string().trim().regex(/^\d{0,5}$/, "Digits only").optional().transform((v) => v || undefined),
  contains: z.string().trim().regex(/^[0-9*]{0,10}$/, "Digits (and *) only").optional().transform((v) => v || undefined),
});
export const buySchema = z.object({ e164, agentId: agentId.prefault("") });
export const importSchema = z.object({
  e164,
  accountSid: z.string().trim().regex(/^AC[0-9a-f]{32}$/i, "An account SID starts with AC and has 34 characters"),
  authToken: z.string().trim().min(16, "Paste the account's auth token"),
  agentId: agentId.prefault(""),
});
export const updateSchema = z.object({ friendlyName: z.string().trim().min(1, "Give it a name").max(64), agentId: agentId.prefault("") });

/** `name = value` lines into call variables; names as `{{name}}` placeholders allow them. */
const variablesField = z
  .string()
  .max(4000)
  .default("")
  .transform((text, ctx) => {
    const out: Record<string, string> = {};
    for (const line of text.split("\n").map((l) => l.trim()).filter(Boolean)) {
      const m = /^([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
      if (!m) ctx.addIssue({ code: "custom", message: `"${line.slice(0, 40)}" is not name = value` });
      else out[m[1]!] = m[2]!;
    }
    return out;
  });

export const outboundSchema = z
  .object({
    fromNumberId: z.uuid("Choose a number to call from"),
    to: z.string().trim().min(1, "Who should the agent call?"),
    agentId: z.uuid("Choose an agent"),
    variables: variablesField,
    machineDetection: z.enum(["off", "hangup", "leave_message"]).default("off"),
    voicemailMessage: z.string().trim().max(500).default(""),
  })
  .transform(({ voicemailMessage, ...rest }) => ({ ...rest, voicemailMessage: voicemailMessage || null }))
  .refine((v) => v.machineDetection !== "leave_message" || v.voicemailMessage, { message: "Write the message to leave", path: ["voicemailMessage"] });
