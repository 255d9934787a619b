import type { Context } from "hono";
import { readCappedBody } from "../core/edge/capped-body";
import { errorResponse } from "./errors";
import type { AppEnv } from "./services";

/**
 * The largest body a route the edge answers itself will read. Twilio's form posts are a few
 * kilobytes, a Stripe event carries one API object, the widget's session request one key: 1 MB
 * leaves each ample room and keeps a flood of large bodies from holding an isolate's memory.
 */
export const MAX_EDGE_BODY_BYTES = 1024 * 1024;

/**
 * A request's body as text, read with the edge's limits: over the cap is a 413 before the rest
 * is read; a body the sender broke off is a 400, never a 500 that a provider would retry.
 */
export async function readBodyText(c: Context<AppEnv>, max = MAX_EDGE_BODY_BYTES): Promise<string | Response> {
  const read = await readCappedBody(c.req.raw, max);
  if (read.ok) return new TextDecoder().decode(read.body);
  return read.reason === "too_large"
    ? errorResponse(c, "PAYLOAD_TOO_LARGE", `Request bodies here are limited to ${Math.round(max / 1024)} KB.`)
    : errorResponse(c, "BAD_REQUEST", "The request body could not be read.");
}

/** A form-encoded body (Twilio's webhooks) as its fields; of a repeated field, the last. */
export async function readFormFields(c: Context<AppEnv>): Promise<Record<string, string> | Response> {
  const body = await readBodyText(c);
  if (body instanceof Response) return body;
  return Object.fromEntries(new URLSearchParams(body));
}
