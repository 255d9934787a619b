import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { readCallRecording } from "../../recordings/recordings.server";
import { requireScope } from "../auth";
import type { ApiEnv } from "../context";
import { ApiError, errorResponses } from "../errors";
import { IdParam } from "../schemas";

const route = createRoute({
  method: "get",
  path: "/calls/{id}/recording",
  summary: "The call's recording (dual-channel WAV: caller left, agent right), decrypted",
  security: [{ apiKey: [] }],
  middleware: [requireScope("calls:read")] as const,
  request: { params: IdParam },
  responses: { 200: { description: "The audio", content: { "audio/wav": { schema: z.string().openapi({ format: "binary" }) } } }, ...errorResponses },
});

export const callsRecording = new OpenAPIHono<ApiEnv>().openapi(route, async (c) => {
  const { db, pii, recordings } = c.get("services");
  const callId = c.req.valid("param").id;
  const found = await readCallRecording({ db, pii, store: recordings }, { tenantId: c.get("key").tenantId, callId });
  if (!found) throw new ApiError("NOT_FOUND", "No stored recording for that call.");
  return c.body(found.audio, 200, { "content-type": found.contentType, "cache-control": "private, no-store", "content-disposition": `attachment; filename="call-${callId}.wav"` });
});
