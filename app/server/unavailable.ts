import type { ServerBuild } from "@remix-run/node";
import { serviceLogger } from "../../core/telemetry";
import { DATABASE_RETRY_AFTER_SECONDS, isConnectionError } from "../../db/connection-errors";

// Any loader or action: each takes (at least) the request.
type Handler = (args: never) => unknown;
type Args = { request: Request };

/** What the portal answers while its database is away: a 503 page, not a 500 or a 404. */
export const unavailable = () =>
  new Response("The service is briefly unavailable; try again in a few seconds.", {
    status: 503,
    headers: { "retry-after": String(DATABASE_RETRY_AFTER_SECONDS) },
  });

// A page's loaders run side by side and all fail alike: one line per request, by its id (app/server/observe.ts).
const loggedRequests = new Set<string>();
function logOnce(err: unknown, request: Request) {
  const requestId = request.headers.get("x-request-id");
  if (requestId) {
    if (loggedRequests.has(requestId)) return;
    if (loggedRequests.size >= 1000) loggedRequests.delete(loggedRequests.values().next().value!);
    loggedRequests.add(requestId);
  }
  serviceLogger("web").warn({ err, path: new URL(request.url).pathname }, "database unavailable");
}

function guarded<H extends Handler>(handler: H): H {
  return (async (args: Args) => {
    try {
      return await (handler as unknown as (args: Args) => unknown)(args);
    } catch (err) {
      if (!isConnectionError(err)) throw err;
      logOnce(err, args.request);
      throw unavailable();
    }
  }) as unknown as H;
}

/** The route module with its loader and action answering `unavailable()` when the database cannot be reached (the API's classifier). */
export function answeringUnavailable<M extends { loader?: Handler; action?: Handler }>(module: M): M {
  return {
    ...module,
    ...(module.loader && { loader: guarded(module.loader) }),
    ...(module.action && { action: guarded(module.action) }),
  };
}

/**
 * Remix's server build with every route so guarded. A thrown error reaches Remix as a 500 whose
 * message production hides; a thrown response keeps its status and reaches the error boundary.
 */
export function buildAnsweringUnavailable(build: ServerBuild): ServerBuild {
  const routes = Object.fromEntries(
    Object.entries(build.routes).map(([id, route]) => [
      id,
      route && { ...route, module: answeringUnavailable(route.module as never) },
    ]),
  );
  return { ...build, routes } as ServerBuild;
}
