import { decodeBase64, encodeBase64, hmac, timingSafeEqual, utf8 } from "./bytes";

/**
 * Twilio's X-Twilio-Signature: base64 HMAC-SHA1, keyed by the auth token, of the full URL
 * followed by every POST parameter as name+value, sorted by name.
 */
export async function twilioSignature(authToken: string, url: string, params: Record<string, string>) {
  const data = Object.keys(params)
    .sort()
    .reduce((acc, key) => acc + key + params[key], url);
  return encodeBase64(await hmac("SHA-1", authToken, utf8(data)));
}

/** Twilio may sign with or without the default port; accept either form of the URL. */
function urlVariants(url: string) {
  const u = new URL(url);
  const variants = new Set([url]);
  if (u.port) {
    const without = new URL(url);
    without.port = "";
    variants.add(without.toString());
  } else {
    const withPort = new URL(url);
    variants.add(
      `${withPort.protocol}//${withPort.hostname}:${u.protocol === "https:" || u.protocol === "wss:" ? 443 : 80}${withPort.pathname}${withPort.search}`,
    );
  }
  return [...variants];
}

export async function verifyTwilioSignature(
  authToken: string,
  signature: string | null | undefined,
  url: string,
  params: Record<string, string>,
) {
  if (!signature) return false;
  let given: Uint8Array;
  try {
    given = decodeBase64(signature);
  } catch {
    return false;
  }
  for (const candidate of urlVariants(url)) {
    const expected = decodeBase64(await twilioSignature(authToken, candidate, params));
    if (timingSafeEqual(expected, given)) return true;
  }
  return false;
}
