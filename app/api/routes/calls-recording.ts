import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { openCallRecording, recordingResponse } from "../../recordings/playback.server";
import { requireScope } from "../auth";
import type { ApiEnv } from "../context";
import { ApiError, errorResponses } from "../errors";
import { IdParam } from "../schemas";

const route = createRoute({
  method: "get",
  path: "/calls/{id}/recording",
  summary:
    "The call's recording (dual-channel WAV: caller left, agent right), decrypted; one byte range may be asked for (Range)",
  security: [{ apiKey: [] }],
  middleware: [requireScope("calls:read")] as const,
  request: {
    params: IdParam,
    headers: z.object({
      range: z
        .string()
        .optional()
        .openapi({ example: "bytes=0-65535", description: "One byte range (RFC 9110): players seek with these" }),
    }),
  },
  responses: {
    200: { description: "The audio", content: { "audio/wav": { schema: z.string().openapi({ format: "binary" }) } } },
    206: {
      description: "The byte range asked for",
      content: { "audio/wav": { schema: z.string().openapi({ format: "binary" }) } },
    },
    416: { description: "The range lies outside the recording" },
    ...errorResponses,
  },
});

export const callsRecording = new OpenAPIHono<ApiEnv>().openapi(route, async (c) => {
  const { db, pii, recordings } = c.get("services");
  const callId = c.req.valid("param").id;
  const found = await openCallRecording({ db, pii, store: recordings }, { tenantId: c.get("key").tenantId, callId });
  if (!found) throw new ApiError("NOT_FOUND", "No stored recording for that call.");
  return recordingResponse(found, c.req.header("range") ?? null, {
    "content-disposition": `attachment; filename="call-${callId}.wav"`,
  });
});
