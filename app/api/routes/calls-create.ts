import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { hasVoicemailMessage, outboundCallSettings } from "../../../core/outbound-call-input";
import { startOutboundCall } from "../../telephony/outbound.server";
import { requireScope } from "../auth";
import type { ApiEnv } from "../context";
import { errorResponses } from "../errors";
import { telephonyCall } from "../telephony";

export const OutboundInput = z
  .object({ ...outboundCallSettings, to: outboundCallSettings.to.meta({ example: "+14155550100" }) })
  .refine(hasVoicemailMessage, { message: "voicemailMessage is needed to leave a message", path: ["voicemailMessage"] })
  .openapi("OutboundCallInput");

const route = createRoute({
  method: "post",
  path: "/calls",
  summary: "Place an outbound call with an agent",
  security: [{ apiKey: [] }],
  middleware: [requireScope("calls:write")] as const,
  request: { body: { content: { "application/json": { schema: OutboundInput } }, required: true } },
  responses: {
    201: {
      description: "Dialling",
      content: { "application/json": { schema: z.object({ id: z.uuid(), status: z.literal("ringing") }) } },
    },
    ...errorResponses,
  },
});

/** The same server module the portal's "Call someone" uses: do-not-call, plan limits and standing apply. */
export const callsCreate = new OpenAPIHono<ApiEnv>().openapi(route, async (c) => {
  const { telephony } = c.get("services");
  const placed = await telephonyCall(() =>
    startOutboundCall(telephony, { tenantId: c.get("key").tenantId, ...c.req.valid("json") }),
  );
  return c.json({ id: placed.callId, status: "ringing" as const }, 201);
});
