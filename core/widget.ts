import { randomToken } from "./crypto/tokens";

/** A widget's publishable key: names the widget in a page; grants nothing by itself. */
export const newPublishableKey = () => `pk_${randomToken(15)}`;
export const publishableKeyPattern = /^pk_[a-z2-7]{24}$/;

const originPattern = /^(https?):\/\/(\*\.)?([a-z0-9-]+(\.[a-z0-9-]+)*)(:\d{1,5})?$/;

/**
 * Checks one allow-list entry: `https://shop.example.com`, `http://localhost:3000` or
 * `https://*.example.com` (any subdomain, not the bare domain). Returns it normalised, or an error.
 */
export function parseAllowedOrigin(entry: string): { origin: string } | { error: string } {
  const value = entry.trim().toLowerCase().replace(/\/$/, "");
  const m = originPattern.exec(value);
  if (!m) return { error: `"${entry.trim()}" is not an origin like https://www.example.com or https://*.example.com` };
  if (m[2] && !m[4])
    return { error: `"${entry.trim()}": a wildcard needs a domain under it, like https://*.example.com` };
  return { origin: value };
}

/** Whether the page origin a browser sent is on the widget's allow-list. */
export function originAllowed(origin: string | null | undefined, allowed: string[]): boolean {
  if (!origin) return false;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (url.origin !== origin.toLowerCase()) return false; // a path, credentials or junk after the origin
  return allowed.some((entry) => {
    if (!entry.includes("://*.")) return entry === url.origin;
    const [scheme, rest] = entry.split("://*.") as [string, string];
    const [domain, port = ""] = rest.split(":") as [string, string?];
    return `${url.protocol.slice(0, -1)}` === scheme && url.port === port && url.hostname.endsWith(`.${domain}`);
  });
}

/** The one line a tenant pastes into its site. */
export const widgetSnippet = (edgeUrl: string, publishableKey: string) =>
  `<script src="${edgeUrl.replace(/\/$/, "")}/widget.js" data-widget="${publishableKey}" async></script>`;

/** A widget's session token lives a minute at most, whatever the platform's stream-token TTL. */
export const WIDGET_TOKEN_TTL_SECONDS = 60;
/** A web call still ringing this long after its session was issued never connected: its token is dead. */
export const WEB_RINGING_SECONDS = 2 * WIDGET_TOKEN_TTL_SECONDS;
