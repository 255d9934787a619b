import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";

/** The closed list of error codes the edge answers with; each maps to one HTTP status. */
const codes = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  RATE_LIMITED: 429,
  INTERNAL_SERVER_ERROR: 500,
  SERVICE_UNAVAILABLE: 503,
} as const satisfies Record<string, ContentfulStatusCode>;
export type ErrorCode = keyof typeof codes;

export function errorResponse(c: Context, code: ErrorCode, message: string) {
  return c.json({ error: { code, message, requestId: c.get("requestId") as string } }, codes[code]);
}
