import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { startOutboundCall } from "../../telephony/outbound.server";
import { requireScope } from "../auth";
import type { ApiEnv } from "../context";
import { errorResponses } from "../errors";
import { telephonyCall } from "../telephony";

const OutboundInput = z
  .object({
    fromNumberId: z.uuid(),
    to: z.string().trim().min(1).max(32).openapi({ example: "+14155550100" }),
    agentId: z.uuid(),
    variables: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), z.string().max(500)).default({}),
    machineDetection: z.enum(["off", "hangup", "leave_message"]).default("off"),
    voicemailMessage: z.string().trim().max(500).nullable().default(null),
  })
  .refine((v) => v.machineDetection !== "leave_message" || v.voicemailMessage, { message: "voicemailMessage is needed to leave a message", path: ["voicemailMessage"] })
  .openapi("OutboundCallInput");

const route = createRoute({
  method: "post",
  path: "/calls",
  summary: "Place an outbound call with an agent",
  security: [{ apiKey: [] }],
  middleware: [requireScope("calls:write")] as const,
  request: { body: { content: { "application/json": { schema: OutboundInput } }, required: true } },
  responses: { 201: { description: "Dialling", content: { "application/json": { schema: z.object({ id: z.uuid(), status: z.literal("ringing") }) } } }, ...errorResponses },
});

/** The same server module the portal's "Call someone" uses: do-not-call, plan limits and standing apply. */
export const callsCreate = new OpenAPIHono<ApiEnv>().openapi(route, async (c) => {
  const { telephony } = c.get("services");
  const placed = await telephonyCall(() => startOutboundCall(telephony, { tenantId: c.get("key").tenantId, ...c.req.valid("json") }));
  return c.json({ id: placed.callId, status: "ringing" as const }, 201);
});
