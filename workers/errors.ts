import type { Context } from "hono";
import { type ErrorCode, errorCodes } from "../core/error-codes";

export type { ErrorCode };

export function errorResponse(c: Context, code: ErrorCode, message: string) {
  return c.json({ error: { code, message, requestId: c.get("requestId") as string } }, errorCodes[code]);
}
