import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { type ErrorCode, errorCodes } from "../../core/error-codes";

export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.enum(Object.keys(errorCodes) as [ErrorCode, ...ErrorCode[]]),
      message: z.string(),
      requestId: z.string(),
    }),
  })
  .openapi("Error");

/** Thrown anywhere in a handler; the app's error handler answers with the one error shape. */
export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** The code for a 4xx status raised below the routes (Hono's validator and body limit): its own, else BAD_REQUEST. */
export const clientErrorCode = (status: number): ErrorCode =>
  (Object.keys(errorCodes) as ErrorCode[]).find((k) => errorCodes[k] === status && status < 500) ?? "BAD_REQUEST";

export const apiError = (c: Context, code: ErrorCode, message: string) =>
  c.json({ error: { code, message, requestId: (c.get("requestId") as string) ?? "" } }, errorCodes[code]);

/** The error responses every route documents. */
export const errorResponses = Object.fromEntries(
  ([400, 401, 403, 404] as const).map((status) => [
    status,
    {
      description: Object.keys(errorCodes).find((k) => errorCodes[k as ErrorCode] === status)!,
      content: { "application/json": { schema: ErrorSchema } },
    },
  ]),
);
