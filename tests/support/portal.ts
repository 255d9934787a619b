import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { provideServices } from "../../app/services/current.server";
import { buildWebServices } from "../../app/services/web.server";
import { readOutbox } from "../../app/utils/mail-transports.server";
import { loadWebConfig } from "../../core/config";
import { generatePiiKey } from "../../core/crypto/pii";

/**
 * The portal's route modules as the server runs them, against the test database, a real Redis
 * (through the Upstash REST fake) and an outbox of this file's own. Like the web server, it builds
 * the portal's services once from this environment (`buildWebServices`) and provides them to the routes.
 */
export async function configurePortal(env: {
  appUrl: string;
  upstash?: { url: string; token: string };
  [k: string]: unknown;
}) {
  const outbox = await mkdtemp(join(tmpdir(), "bvrai-portal-outbox-"));
  const { appUrl, upstash, ...rest } = env;
  const before = { ...process.env };
  Object.assign(process.env, {
    NODE_ENV: "test",
    DATABASE_URL: appUrl,
    SESSION_SECRET: `session-${crypto.randomUUID()}`,
    PII_ENCRYPTION_KEYS: generatePiiKey("portal"),
    PII_BLIND_INDEX_KEY: `index-${crypto.randomUUID()}`,
    MAIL_TRANSPORT: "outbox",
    MAIL_OUTBOX_DIR: outbox,
    LOG_LEVEL: "warn",
    ...(upstash ? { UPSTASH_REDIS_REST_URL: upstash.url, UPSTASH_REDIS_REST_TOKEN: upstash.token } : {}),
    ...Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, String(v)])),
  });
  const services = buildWebServices(loadWebConfig(process.env));
  provideServices(services);
  return {
    outbox,
    services,
    /** Puts the environment back as it was (the services keep what they read). */
    restore: () => {
      for (const k of Object.keys(process.env)) if (!(k in before)) delete process.env[k];
      Object.assign(process.env, before);
    },
    /** Every message sent to `to`, newest first. */
    mailTo: async (to: string) => (await readOutbox(outbox, 500)).filter((m) => m.to === to),
  };
}

type Args = { request: Request; params: Record<string, string>; context: { cspNonce: string } };
export type Answer = { status: number; headers: Headers; body: unknown; location: string | null };

/**
 * Runs a route's loader or action as Remix would and reads its answer, whether it returned or
 * threw a Response, returned `data()` or a plain value.
 */
export async function run(
  fn: (args: Args) => unknown,
  request: Request,
  params: Record<string, string> = {},
): Promise<Answer> {
  let out: unknown;
  try {
    out = await fn({ request, params, context: { cspNonce: "" } });
  } catch (thrown) {
    if (!(thrown instanceof Response)) throw thrown;
    out = thrown;
  }
  if (out instanceof Response) {
    const text = await out.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {}
    return { status: out.status, headers: out.headers, body, location: out.headers.get("location") };
  }
  const withInit = out as { type?: string; data?: unknown; init?: ResponseInit | null };
  if (withInit?.type === "DataWithResponseInit") {
    return {
      status: withInit.init?.status ?? 200,
      headers: new Headers(withInit.init?.headers),
      body: withInit.data,
      location: null,
    };
  }
  return { status: 200, headers: new Headers(), body: out, location: null };
}

/** A browser's POST of a form, from the client address `ip`, with the session `cookie` if any. */
export function formPost(path: string, fields: Record<string, string>, opts: { ip?: string; cookie?: string } = {}) {
  return new Request(`http://portal.test${path}`, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      "x-bvrai-client-ip": opts.ip ?? "203.0.113.1",
      ...(opts.cookie ? { cookie: opts.cookie } : {}),
    },
    body: new URLSearchParams(fields),
  });
}

export const get = (path: string, opts: { ip?: string; cookie?: string } = {}) =>
  new Request(`http://portal.test${path}`, {
    headers: { "x-bvrai-client-ip": opts.ip ?? "203.0.113.1", ...(opts.cookie ? { cookie: opts.cookie } : {}) },
  });

/** The `name=value` part of a Set-Cookie header, to send back as a Cookie header. */
export const cookieFrom = (setCookie: string | null) => (setCookie ?? "").split(";")[0]!;

/** A random IPv6 /64 of the documentation range, and an address in it. */
export function randomNetwork() {
  const hex = () => Math.floor(Math.random() * 0x10000).toString(16);
  const prefix = `2001:db8:${hex()}:${hex()}`;
  return { prefix, address: (host = hex()) => `${prefix}::${host}` };
}
