import type { Limits } from "../../core/net/bounded-fetch";
import { OutboundError } from "../../core/net/bounded-fetch";
import { type Allow, guardedRequest } from "../../core/net/guarded-request";
import type { AttemptOutcome } from "../../db/queries/webhook-deliveries";

/**
 * One attempt, whole: lookup, connect, headers and the answer within 10 s, however slowly the
 * receiver drips it; 2 KB of the answer kept for the delivery log, then the connection closed.
 */
export const ATTEMPT_LIMITS: Limits = { deadlineMs: 10_000, maxBytes: 2048 };

/**
 * POSTs one delivery through the SSRF guard (resolved once, checked, connected to that address;
 * redirects not followed, so a 3xx cannot lead elsewhere). Any 2xx is success. Errors are said
 * without the host: the URL is encrypted at rest, the delivery log's error is not.
 */
export async function postWebhook(
  url: string,
  headers: Record<string, string>,
  body: string,
  opts: { allow: Allow; limits?: Limits },
): Promise<AttemptOutcome> {
  try {
    const res = await guardedRequest(
      url,
      {
        method: "POST",
        headers: { "content-type": "application/json", "user-agent": "BVRAI-Webhooks/1.0", ...headers },
        body,
        allow: opts.allow,
      },
      opts.limits ?? ATTEMPT_LIMITS,
    );
    const ok = res.status >= 200 && res.status < 300;
    return { ok, statusCode: res.status, error: ok ? null : `HTTP ${res.status}`, response: res.body.toString("utf8") };
  } catch (err) {
    if (!(err instanceof OutboundError)) throw err;
    const refused = err.kind === "refused" || err.kind === "unresolvable";
    return {
      ok: false,
      statusCode: null,
      error: refused ? `Refused: ${err.withoutHost}` : err.withoutHost,
      response: null,
    };
  }
}
