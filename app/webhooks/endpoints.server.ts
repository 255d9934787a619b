import { DestinationError, resolveDestination } from "./destination.server";

/**
 * Checks a new or changed endpoint URL: https in production, and refused when it names or
 * resolves to a private, loopback or link-local address. A name that does not resolve now is
 * accepted (DNS may come later); every delivery checks again after resolving, so it never
 * reaches such an address either way. Returns an error message, or null when it is acceptable.
 */
export async function destinationProblem(url: string, { allowPrivate, production }: { allowPrivate: boolean; production: boolean }) {
  if (production && !url.startsWith("https://")) return "Webhook URLs must use https";
  try {
    await resolveDestination(url, { allowPrivate });
    return null;
  } catch (err) {
    if (!(err instanceof DestinationError)) throw err;
    return err.message.endsWith("does not resolve") ? null : `The URL ${err.message}`;
  }
}
