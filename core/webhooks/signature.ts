import { decodeBase64, encodeBase64, hmac, randomBytes, utf8 } from "../bytes";

/** A Standard Webhooks secret: `whsec_` and the base64 of 32 random bytes. */
export const newWebhookSecret = () => `whsec_${encodeBase64(randomBytes(32))}`;

/**
 * The `webhook-signature` header of the Standard Webhooks specification: `v1,` and the base64
 * HMAC-SHA256 of `id.timestamp.body`, once per secret (space-separated), so during a rotation a
 * receiver holding either the old or the new secret can verify.
 */
export async function signWebhook({
  id,
  timestamp,
  body,
  secrets,
}: {
  id: string;
  timestamp: number;
  body: string;
  secrets: string[];
}) {
  const content = utf8(`${id}.${timestamp}.${body}`);
  const signatures = await Promise.all(
    secrets.map(
      async (s) => `v1,${encodeBase64(await hmac("SHA-256", decodeBase64(s.replace(/^whsec_/, "")), content))}`,
    ),
  );
  return signatures.join(" ");
}
