import type { MiddlewareHandler } from "hono";
import { NONCE, secureHeaders } from "hono/secure-headers";
import { inlineStyleHashes } from "./inline-styles";

/**
 * Response headers for every portal page: a nonce-based CSP (scripts run only if the server
 * rendered them), no framing, HSTS in production. Development adds what Vite's HMR needs.
 */
export function securityHeaders({
  production,
  relayUrl,
}: {
  production: boolean;
  relayUrl?: string;
}): MiddlewareHandler {
  // Browser test calls open a socket to the relay.
  const relay = relayUrl ? [new URL(relayUrl).origin.replace(/^http/, "ws")] : [];
  return secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'self'"],
      scriptSrc: [NONCE, "'strict-dynamic'"],
      styleSrc: production ? ["'self'", "'unsafe-hashes'", ...inlineStyleHashes] : ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", "data:"],
      connectSrc: production ? ["'self'", ...relay] : ["'self'", "ws:", ...relay],
      fontSrc: ["'self'"],
      objectSrc: ["'none'"],
      baseUri: ["'self'"],
      // Billing forms redirect to Stripe's Checkout and customer portal pages.
      formAction: ["'self'", "https://checkout.stripe.com", "https://billing.stripe.com"],
      frameAncestors: ["'none'"],
      ...(production ? { upgradeInsecureRequests: [] } : {}),
    },
    strictTransportSecurity: production ? "max-age=63072000; includeSubDomains" : false,
    xFrameOptions: "DENY",
    referrerPolicy: "strict-origin-when-cross-origin",
    permissionsPolicy: { camera: [], geolocation: [], microphone: ["self"] },
  });
}

const safeMethods = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Refuses state-changing requests a browser sent from another site (CSRF): Sec-Fetch-Site when
 * the browser sends it, else Origin. Requests carrying neither come from no browser, so there is
 * no ambient cookie to abuse. Paths in `exempt` authenticate another way (API keys, signatures).
 */
export function sameOriginWrites({ exempt = [] }: { exempt?: string[] } = {}): MiddlewareHandler {
  return async (c, next) => {
    if (safeMethods.has(c.req.method) || exempt.some((p) => c.req.path.startsWith(p))) return next();
    const site = c.req.header("sec-fetch-site");
    const origin = c.req.header("origin");
    // Behind the edge the origin's own host differs from the one the browser used; the edge says which.
    const host = c.req.header("x-forwarded-host") ?? c.req.header("host");
    let crossSite = site !== undefined && site !== "same-origin" && site !== "none";
    if (!crossSite && origin !== undefined) {
      try {
        crossSite = origin === "null" || new URL(origin).host !== host;
      } catch {
        crossSite = true;
      }
    }
    if (crossSite) return c.text("Cross-site request refused.", 403);
    return next();
  };
}
