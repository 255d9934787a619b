import { z } from "zod";

const e164 = z.string().trim().regex(/^\+[1-9]\d{7,14}$/, "Use E.164, like +14155550100");
const agentId = z.union([z.uuid(), z.literal("")]).transform((v) => v || null);

export const searchSchema = z.object({
  country: z.string().trim().toUpperCase().regex(/^[A-Z]{2}$/, "Use a two-letter country code, like US"),
  kind: z.enum(["local", "tollFree", "mobile"]),
  areaCode: z.string().trim().regex(/^\d{0,5}$/, "Digits only").optional().transform((v) => v || undefined),
  contains: z.string().trim().regex(/^[0-9*]{0,10}$/, "Digits (and *) only").optional().transform((v) => v || undefined),
});
export const buySchema = z.object({ e164, agentId: agentId.default("") });
export const importSchema = z.object({
  e164,
  accountSid: z.string().trim().regex(/^AC[0-9a-f]{32}$/i, "An account SID starts with AC and has 34 characters"),
  authToken: z.string().trim().min(16, "Paste the account's auth token"),
  agentId: agentId.default(""),
});
export const updateSchema = z.object({ friendlyName: z.string().trim().min(1, "Give it a name").max(64), agentId: agentId.default("") });
