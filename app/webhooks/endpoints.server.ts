import { OutboundError } from "../../core/net/bounded-fetch";
import { resolvePublic } from "../../core/net/guarded-request";

/**
 * Checks a new or changed endpoint URL: https in production, and refused when it names or
 * resolves to an address tenants may not reach (docs/decisions/0027). A name that does not
 * resolve now is accepted (DNS may come later); every delivery checks again after resolving, so
 * it never reaches such an address either way. Returns an error message, or null when acceptable.
 */
export async function destinationProblem(
  url: string,
  { allowPrivate, production }: { allowPrivate: boolean; production: boolean },
) {
  if (production && !url.startsWith("https://")) return "Webhook URLs must use https";
  try {
    await resolvePublic(url, allowPrivate ? "any" : undefined, AbortSignal.timeout(5000));
    return null;
  } catch (err) {
    if ((err as Error).name === "TimeoutError") return null; // as good as not resolving yet
    if (!(err instanceof OutboundError)) throw err;
    return err.kind === "unresolvable" ? null : `The URL ${err.message}`;
  }
}
