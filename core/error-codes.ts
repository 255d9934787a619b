/**
 * The closed list of error codes the edge and the public API answer with, each with its one HTTP
 * status. Both answer `{ error: { code, message, requestId } }`: a client handles one shape.
 */
export const errorCodes = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  URI_TOO_LONG: 414,
  /** Well-formed but not acceptable as sent: an Idempotency-Key reused with another request. */
  UNPROCESSABLE_CONTENT: 422,
  RATE_LIMITED: 429,
  HEADERS_TOO_LARGE: 431,
  INTERNAL_SERVER_ERROR: 500,
  SERVICE_UNAVAILABLE: 503,
  GATEWAY_TIMEOUT: 504,
} as const;
export type ErrorCode = keyof typeof errorCodes;
