import { type ChildProcess, spawn } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { unstable_startWorker } from "wrangler";
import { devSecret } from "../core/config/load";
import { edgeSchema, secretNames as runtimeSecrets } from "../core/config/schemas";
import { startEmbeddedPostgres } from "../db/embedded";
import { migrateUp } from "../db/scripts/migrate";
import { startWsProxy } from "../db/ws-proxy";
import { buildWidget } from "./build-widget";

/**
 * `npm run dev`: the whole platform on this machine with no settings. Embedded PGlite unless
 * DATABASE_URL is set; sandbox providers; throwaway secrets unless they are set. Prints the URLs.
 */
const env = process.env;
const port = (name: string, fallback: number) => Number(env[name] ?? fallback);
const ports = {
  web: port("WEB_PORT", 3000),
  edge: port("EDGE_PORT", 8787),
  relay: port("RELAY_PORT", 8788),
  proxy: port("NEON_PROXY_PORT", 8789),
  pg: port("PGLITE_PORT", 54329),
};
const say = (msg: string) => console.log(`\x1b[36m[bvrai]\x1b[0m ${msg}`);
const shout = (msg: string) => console.error(`\x1b[31m[bvrai] ${msg}\x1b[0m`);

let embedded: Awaited<ReturnType<typeof startEmbeddedPostgres>> | undefined;
let databaseUrl = env.DATABASE_URL;
let localRole = env.DATABASE_LOCAL_ROLE;
if (!databaseUrl) {
  embedded = await startEmbeddedPostgres({
    dataDir: ".data/pglite",
    port: ports.pg,
    log: (level, msg) => (level === "error" ? shout(msg) : say(msg)),
  });
  databaseUrl = embedded.url;
  localRole = "bvrai_app"; // PGlite's only user is a superuser; each scoped transaction drops to the app role
  say(`SANDBOX database: embedded PGlite in .data/pglite, served on ${embedded.url}`);
}
await migrateUp(env.DATABASE_MIGRATION_URL ?? databaseUrl);

// Generated once per checkout and kept in .data (0600), so encrypted rows and sessions survive restarts.
// Every secret any runtime needs, from the one list the config schemas keep.
const secretNames = [...new Set(Object.values(runtimeSecrets).flat())];
const secretsFile = ".data/dev-secrets.json";
mkdirSync(".data", { recursive: true });
const saved: Record<string, string> = existsSync(secretsFile) ? JSON.parse(readFileSync(secretsFile, "utf8")) : {};
const generated = secretNames.filter((n) => !env[n] && !saved[n]);
for (const n of generated) saved[n] = devSecret(n);
writeFileSync(secretsFile, JSON.stringify(saved, null, 2));
chmodSync(secretsFile, 0o600);
const secrets = Object.fromEntries(secretNames.map((n) => [n, env[n] || saved[n]!]));
if (generated.length)
  say(`development secrets generated for ${generated.join(", ")} and kept in ${secretsFile} (not for production)`);

const childEnv: NodeJS.ProcessEnv = {
  ...env,
  NODE_ENV: "development",
  DATABASE_URL: databaseUrl,
  ...(localRole ? { DATABASE_LOCAL_ROLE: localRole } : {}),
  ...secrets,
  RELAY_PORT: String(ports.relay),
  // One relay process: the embedded database is one session every process shares (docs/decisions/0029).
  RELAY_WORKERS: env.RELAY_WORKERS ?? "1",
  PORT: String(ports.web),
  EDGE_PUBLIC_URL: env.EDGE_PUBLIC_URL ?? `http://127.0.0.1:${ports.edge}`,
  // The portal's browser test calls connect here.
  RELAY_PUBLIC_URL: env.RELAY_PUBLIC_URL ?? `ws://127.0.0.1:${ports.relay}`,
  // So a developer can point a webhook at a receiver on this machine; production refuses this.
  WEBHOOK_ALLOW_PRIVATE_DESTINATIONS: env.WEBHOOK_ALLOW_PRIVATE_DESTINATIONS ?? "true",
};
let stopping = false;
let worker: Awaited<ReturnType<typeof unstable_startWorker>> | undefined;
const proxy = await startWsProxy(ports.proxy);
const children: ChildProcess[] = [];
// A platform with a process missing only looks alive (calls never billed, pages that hang): one
// that exits stops them all, loudly, and `npm run dev` exits with an error.
const run = (name: string, cmd: string, args: string[]) => {
  const child: ChildProcess = spawn(cmd, args, { env: childEnv, stdio: ["ignore", "inherit", "inherit"] });
  const exited = new Promise<void>((resolve) =>
    child.on("exit", (code, signal) => {
      resolve();
      if (stopping) return;
      shout(`${name} exited (${signal ?? `code ${code}`}); stopping the platform. Its last lines above say why.`);
      void stop(1);
    }),
  );
  children.push(Object.assign(child, { exited }));
};
process.on("SIGINT", () => void stop());
process.on("SIGTERM", () => void stop());
// Node itself, not `npx tsx` (whose launcher may exit before the process it runs): a stop waits
// for the processes that hold database connections, then stops the database.
run("relay", process.execPath, ["--import", "tsx", "media-relay/main.ts"]);
run("jobs", process.execPath, ["--import", "tsx", "app/jobs/main.ts"]);
run("web", process.execPath, ["--import", "tsx", "app/server/main.ts"]);

// Every setting the edge reads, as this shell sets it (production hands the edge the same), then
// what the local platform decides.
const edgeVars: Record<string, string | undefined> = {
  ...Object.fromEntries(Object.keys(edgeSchema.shape).map((name) => [name, env[name]])),
  DATABASE_URL: databaseUrl,
  DATABASE_LOCAL_ROLE: localRole,
  NEON_WS_PROXY: `127.0.0.1:${ports.proxy}`,
  RELAY_PUBLIC_URL: env.RELAY_PUBLIC_URL ?? `ws://127.0.0.1:${ports.relay}`,
  STREAM_TOKEN_SECRET: secrets.STREAM_TOKEN_SECRET,
  TWILIO_AUTH_TOKEN: secrets.TWILIO_AUTH_TOKEN,
  STRIPE_WEBHOOK_SECRET: secrets.STRIPE_WEBHOOK_SECRET,
  PII_ENCRYPTION_KEYS: secrets.PII_ENCRYPTION_KEYS,
  PII_BLIND_INDEX_KEY: secrets.PII_BLIND_INDEX_KEY,
  // The edge forwards the portal and the API too; the portal is also reachable directly in development.
  ORIGIN_URL: env.ORIGIN_URL ?? `http://127.0.0.1:${ports.web}`,
  EDGE_ORIGIN_SECRET: env.EDGE_ORIGIN_SECRET ?? devSecret("EDGE_ORIGIN_SECRET"),
};
await buildWidget();
// Offline by design: no fetch of Cloudflare's `request.cf` sample (the edge does not read it).
process.env.CLOUDFLARE_CF_FETCH_ENABLED ??= "false";
worker = await unstable_startWorker({
  config: "wrangler.toml",
  bindings: Object.fromEntries(
    Object.entries(edgeVars)
      .filter((e): e is [string, string] => Boolean(e[1]))
      .map(([k, v]) => [k, { type: "plain_text", value: v }]),
  ),
  dev: { server: { hostname: "127.0.0.1", port: ports.edge }, inspector: false, watch: false, logLevel: "warn" },
});
const edgeUrl = (await worker.url).toString().replace(/\/$/, "");
// Miniflare's exit hook answers Ctrl-C with process.exit at once: the database would go before the
// processes using it had finished. The stop is ours (it disposes the worker too).
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.removeAllListeners(signal);
  process.on(signal, () => void stop());
}

// For `npm run call:simulate`: local, throwaway, readable by this user only.
writeFileSync(
  ".data/sandbox.json",
  JSON.stringify(
    { edgeUrl, twilioAuthToken: secrets.TWILIO_AUTH_TOKEN, databaseUrl: env.DATABASE_MIGRATION_URL ?? databaseUrl },
    null,
    2,
  ),
);
chmodSync(".data/sandbox.json", 0o600);

// The URLs are printed once they answer: the portal's first request compiles every route (tens of
// seconds on a cold checkout), and that wait belongs here, not in a newcomer's first page.
say("starting the portal and the relay…");
const answers = (url: string) =>
  fetch(url, { signal: AbortSignal.timeout(120_000) }).then(
    (r) => r.ok,
    () => false,
  );
for (const url of [`http://127.0.0.1:${ports.web}/health`, `http://127.0.0.1:${ports.relay}/health`]) {
  while (!stopping && !(await answers(url))) await new Promise((r) => setTimeout(r, 500));
}
say(`portal      http://127.0.0.1:${ports.web}   (SANDBOX mailbox: http://127.0.0.1:${ports.web}/dev/mailbox)`);
say(
  `edge        ${edgeUrl}   (Twilio voice webhook: ${edgeUrl}/twilio/voice; the portal and /api/v1 through the front door)`,
);
say(`relay       ws://127.0.0.1:${ports.relay}/twilio`);
say(
  `widget      <script src="${edgeUrl}/widget.js" data-widget="pk_…" async></script>  (key and allowed origins: the agent's Widget page)`,
);
say(`rate limit  ${env.UPSTASH_REDIS_REST_URL ? "Upstash" : "in-process (no UPSTASH_REDIS_REST_URL)"}`);
say("SANDBOX providers: text-to-speech is synthesised tones; no Twilio account is used.");
if (!env.STRIPE_SECRET_KEY)
  say("SANDBOX billing: no STRIPE_SECRET_KEY, so every team stays on the free trial and nothing is charged.");
if (!env.RECORDINGS_S3_BUCKET)
  say(`recordings  kept in ${env.RECORDINGS_DIR ?? ".data/recordings"} (set RECORDINGS_S3_BUCKET for S3/R2)`);
say("webhooks    may reach addresses on this machine (WEBHOOK_ALLOW_PRIVATE_DESTINATIONS; refused in production)");
say("place a simulated phone call:  npm run call:simulate -- <agent id>");

async function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  for (const c of children) c.kill("SIGTERM");
  // The processes finish their database work before the database stops; one that hangs is killed.
  const exited = Promise.all(children.map((c) => (c as ChildProcess & { exited: Promise<void> }).exited));
  const deadline = setTimeout(() => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
  }, 15_000);
  await exited;
  clearTimeout(deadline);
  await worker?.dispose().catch(() => {});
  proxy.close();
  await embedded?.stop().catch(() => {});
  process.exit(code);
}
