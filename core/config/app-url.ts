import { WEB_PORT } from "./schemas";

/**
 * Links to the portal (emails, billing returns, webhook notices): APP_URL, which production
 * requires, else the portal on this machine at its PORT (the jobs process has none: the portal's default).
 */
export function appUrlOf(config: { APP_URL?: string; PORT?: number }): (path: string) => string {
  const origin = config.APP_URL ?? `http://127.0.0.1:${config.PORT ?? WEB_PORT}`;
  return (path) => new URL(path, origin).toString();
}
