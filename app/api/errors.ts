import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { z } from "@hono/zod-openapi";

/** The closed list of error codes the API answers with; each has one HTTP status. */
export const apiErrorCodes = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  INTERNAL_SERVER_ERROR: 500,
} as const satisfies Record<string, ContentfulStatusCode>;
export type ApiErrorCode = keyof typeof apiErrorCodes;

export const ErrorSchema = z
  .object({ error: z.object({ code: z.enum(Object.keys(apiErrorCodes) as [ApiErrorCode, ...ApiErrorCode[]]), message: z.string(), requestId: z.string() }) })
  .openapi("Error");

/** Thrown anywhere in a handler; the app's error handler answers with the one error shape. */
export class ApiError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export const apiError = (c: Context, code: ApiErrorCode, message: string) =>
  c.json({ error: { code, message, requestId: (c.get("requestId") as string) ?? "" } }, apiErrorCodes[code]);

/** The error responses every route documents. */
export const errorResponses = Object.fromEntries(
  ([400, 401, 403, 404] as const).map((status) => [status, { description: Object.keys(apiErrorCodes).find((k) => apiErrorCodes[k as ApiErrorCode] === status)!, content: { "application/json": { schema: ErrorSchema } } }]),
);
