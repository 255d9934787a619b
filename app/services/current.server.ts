import type { WebServices } from "./web.server";

// On globalThis: the server (app/server/main.ts) and the route modules are separate module graphs
// (Vite's in development, the server build in production), and Vite reloads routes in development.
const slot = globalThis as unknown as { __bvraiServices?: WebServices };

/** The web process's services, built once (app/server/main.ts; in tests, configurePortal). */
export function provideServices(services: WebServices) {
  slot.__bvraiServices = services;
}

/** The services the web process built; the portal's route helpers read them here. */
export function services(): WebServices {
  const s = slot.__bvraiServices;
  if (!s)
    throw new Error(
      "The portal's services are not built yet: app/server/main.ts (or, in tests, configurePortal) calls provideServices(buildWebServices(config)) before any request.",
    );
  return s;
}
