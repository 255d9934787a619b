import { hmac, timingSafeEqual, toHex, utf8 } from "../bytes";

export class StripeSignatureError extends Error {
  override name = "StripeSignatureError";
}

/** Stripe's default: a signature older than five minutes is refused (a replay). */
const TOLERANCE_SECONDS = 300;

/**
 * A webhook's event, once its `Stripe-Signature` header (`t=…,v1=…[,v1=…]`) proves Stripe sent
 * this body: HMAC-SHA256 of `t.body` with the endpoint's secret, no older than five minutes
 * (https://docs.stripe.com/webhooks#verify-manually). The checks and their order are the official
 * library's `constructEventAsync`, so the edge need not bundle that library (docs/decisions/0036).
 */
export async function verifyStripeEvent<E = unknown>(
  body: string,
  header: string,
  secret: string,
  now = Date.now(),
): Promise<E> {
  if (!body) throw new StripeSignatureError("No webhook payload was provided.");
  if (!header) throw new StripeSignatureError("No stripe-signature header value was provided.");
  let timestamp = -1;
  const signatures: string[] = [];
  for (const item of header.split(",")) {
    const [key, value = ""] = item.split("=");
    if (key === "t") timestamp = /^\d+$/.test(value) ? Number(value) : -1;
    if (key === "v1") signatures.push(value);
  }
  if (timestamp === -1) throw new StripeSignatureError("Unable to extract timestamp and signatures from header");
  if (!signatures.length) throw new StripeSignatureError("No signatures found with expected scheme");
  if (!secret) throw new StripeSignatureError("No webhook secret value was provided.");
  const expected = utf8(toHex(await hmac("SHA-256", secret, utf8(`${timestamp}.${body}`))));
  if (!signatures.some((s) => timingSafeEqual(expected, utf8(s))))
    throw new StripeSignatureError("No signatures found matching the expected signature for payload.");
  if (Math.floor(now / 1000) - timestamp > TOLERANCE_SECONDS)
    throw new StripeSignatureError("Timestamp outside the tolerance zone");
  const event = JSON.parse(body);
  if (event?.object === "v2.core.event")
    throw new StripeSignatureError("A thin event notification is not a webhook event.");
  return event as E;
}
