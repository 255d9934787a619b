import { decodeBase64url, encodeBase64url, fromUtf8, hmac, timingSafeEqual, utf8 } from "./bytes";
import * as z from "./zod";

/** What a media stream may do: carry one call of one tenant's agent, until `exp`. */
const claims = z.object({
  v: z.literal(1),
  callId: z.uuid(),
  tenantId: z.uuid(),
  agentId: z.uuid(),
  /** Web calls only: the page origin the widget session was issued to; the socket must come from it. */
  origin: z.optional(z.string()),
  /** Web calls only: the widget's session length limit, in seconds. */
  maxSeconds: z.optional(z.number().check(z.int(), z.positive())),
  /** Phone calls on a tenant's Twilio account: the account whose token signs the stream's handshake. */
  account: z.optional(z.string().check(z.regex(/^AC[0-9a-f]{32}$/i))),
  /** Outbound calls a machine answered: the agent leaves the call's voicemail message and hangs up. */
  voicemail: z.optional(z.literal(true)),
  exp: z.number().check(z.int()),
});
export type StreamClaims = z.infer<typeof claims>;

export class StreamTokenError extends Error {
  override name = "StreamTokenError";
}

export async function signStreamToken(
  secret: string,
  c: Omit<StreamClaims, "v" | "exp">,
  ttlSeconds: number,
  now = Date.now(),
) {
  const body = encodeBase64url(utf8(JSON.stringify({ v: 1, ...c, exp: Math.floor(now / 1000) + ttlSeconds })));
  const sig = encodeBase64url(await hmac("SHA-256", secret, utf8(`st1.${body}`)));
  return `st1.${body}.${sig}`;
}

export async function verifyStreamToken(secret: string, token: string, now = Date.now()): Promise<StreamClaims> {
  const [prefix, body, sig] = token.split(".");
  if (prefix !== "st1" || !body || !sig) throw new StreamTokenError("malformed token");
  const expected = await hmac("SHA-256", secret, utf8(`st1.${body}`));
  let given: Uint8Array;
  try {
    given = decodeBase64url(sig);
  } catch {
    throw new StreamTokenError("malformed signature");
  }
  if (!timingSafeEqual(expected, given)) throw new StreamTokenError("bad signature");
  const parsed = claims.safeParse(JSON.parse(fromUtf8(decodeBase64url(body))));
  if (!parsed.success) throw new StreamTokenError("bad claims");
  if (parsed.data.exp * 1000 <= now) throw new StreamTokenError("expired");
  return parsed.data;
}
