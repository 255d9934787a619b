import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { unstable_startWorker } from "wrangler";
import { generatePiiKey } from "../../core/crypto/pii";
import { startWsProxy } from "../../db/ws-proxy";
import { startS3Fake } from "../fakes/s3";
import { startUpstashRest } from "../fakes/upstash-rest";
import { freshDatabase } from "../support/databases";
import { freePort } from "../support/processes";
import { eventually } from "../support/wait";

/**
 * The whole platform on this machine as production runs it, for `npm run bench:load`: the built
 * portal and API (NODE_ENV=production), the relay and the jobs worker as their own processes, the
 * edge in workerd in front, a database of its own, Redis behind the Upstash REST adapter, and
 * local stand-ins for mail (SMTP) and recordings (S3). Voice providers are the SANDBOX ones.
 */
export async function startPlatform() {
  const root = new URL("../..", import.meta.url).pathname;
  if (!existsSync(`${root}build/server/index.js`)) {
    console.log("building the portal (npm run build)…");
    execFileSync("npm", ["run", "build"], { cwd: root, stdio: "ignore" });
  }
  const { ownerUrl, appUrl } = await freshDatabase("bvrai_bench_load");
  const secret = () => crypto.randomUUID().replace(/-/g, "") + crypto.randomUUID().replace(/-/g, "");
  const shared = {
    PII_ENCRYPTION_KEYS: generatePiiKey("load"),
    PII_BLIND_INDEX_KEY: secret(),
    STREAM_TOKEN_SECRET: secret(),
    TWILIO_AUTH_TOKEN: secret(),
    EDGE_ORIGIN_SECRET: secret(),
  };
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    onData: (stream, _s, done) => stream.on("data", () => {}).on("end", () => done()),
  });
  await new Promise<void>((r) => smtp.listen(0, "127.0.0.1", () => r()));
  const s3 = await startS3Fake({ accessKeyId: "load", secretAccessKey: secret(), bucket: "bvrai-recordings" });
  const upstashToken = secret();
  const upstash = await startUpstashRest({
    redisUrl: process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
    token: upstashToken,
  });
  const [webPort, relayPort] = [await freePort(), await freePort()];
  const ops = { web: await freePort(), relay: await freePort(), jobs: await freePort() };
  const smtpUrl = `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}?ignoreTLS=true`;
  const edgePort = await freePort();
  const common = {
    PATH: process.env.PATH ?? "",
    DATABASE_URL: appUrl,
    LOG_LEVEL: "warn",
    ...shared,
    MAIL_TRANSPORT: "smtp",
    SMTP_URL: smtpUrl,
    EDGE_PUBLIC_URL: `http://127.0.0.1:${edgePort}`,
    RELAY_PUBLIC_URL: `ws://127.0.0.1:${relayPort}`,
    RECORDINGS_S3_BUCKET: "bvrai-recordings",
    RECORDINGS_S3_ENDPOINT: s3.url,
    RECORDINGS_S3_ACCESS_KEY_ID: "load",
    RECORDINGS_S3_SECRET_ACCESS_KEY: "unused",
  };
  const children: ChildProcess[] = [];
  const run = (entry: string, env: Record<string, string>) => {
    const child = spawn(process.execPath, ["--import", "tsx", entry], {
      cwd: root,
      env: { NODE_ENV: "development", ...common, ...env },
      stdio: ["ignore", "ignore", "inherit"],
    });
    children.push(child);
  };
  run("app/server/main.ts", {
    NODE_ENV: "production",
    HOST: "127.0.0.1",
    PORT: String(webPort),
    OPS_PORT: String(ops.web),
    APP_URL: `http://127.0.0.1:${edgePort}`,
    SESSION_SECRET: secret(),
    AUTH_ATTEMPTS_PER_IP: "100000000",
    UPSTASH_REDIS_REST_URL: upstash.url,
    UPSTASH_REDIS_REST_TOKEN: upstashToken,
  });
  run("media-relay/main.ts", {
    NODE_ENV: "development",
    RELAY_PORT: String(relayPort),
    OPS_PORT: String(ops.relay),
    RELAY_MAX_CALLS_PER_TENANT: "1000",
    RELAY_DRAIN_SECONDS: "5",
  });
  run("app/jobs/main.ts", {
    NODE_ENV: "development",
    OPS_PORT: String(ops.jobs),
    WEBHOOK_ALLOW_PRIVATE_DESTINATIONS: "true",
  });
  for (const port of Object.values(ops))
    await eventually(
      () =>
        fetch(`http://127.0.0.1:${port}/ready`).then(
          (r) => r.ok,
          () => false,
        ),
      60_000,
      `a process on ${port} to be ready`,
    );
  const wsProxy = await startWsProxy(0);
  const bindings = {
    ...shared,
    DATABASE_URL: appUrl,
    NEON_WS_PROXY: `127.0.0.1:${(wsProxy.address() as AddressInfo).port}`,
    RELAY_PUBLIC_URL: common.RELAY_PUBLIC_URL,
    ORIGIN_URL: `http://127.0.0.1:${webPort}`,
    UPSTASH_REDIS_REST_URL: upstash.url,
    UPSTASH_REDIS_REST_TOKEN: upstashToken,
    STRIPE_WEBHOOK_SECRET: secret(),
    RATE_LIMIT_TWILIO_PER_MINUTE: "100000000",
    RATE_LIMIT_PORTAL_PER_IP_PER_MINUTE: "100000000",
    RATE_LIMIT_AUTH_PER_IP_PER_MINUTE: "100000000",
    RATE_LIMIT_AUTH_PER_ACCOUNT_PER_MINUTE: "1000",
  };
  const edge = await unstable_startWorker({
    config: `${root}wrangler.toml`,
    bindings: Object.fromEntries(
      Object.entries(bindings).map(([k, v]) => [k, { type: "plain_text" as const, value: v }]),
    ),
    dev: { server: { hostname: "127.0.0.1", port: edgePort }, inspector: false, watch: false, logLevel: "error" },
  });
  const edgeUrl = (await edge.url).toString().replace(/\/$/, "");
  return {
    ownerUrl,
    appUrl,
    edgeUrl,
    secrets: shared,
    metrics: (process: keyof typeof ops) => fetch(`http://127.0.0.1:${ops[process]}/metrics`).then((r) => r.text()),
    async stop() {
      await edge.dispose();
      for (const c of children) c.kill("SIGTERM");
      await Promise.all(children.map((c) => new Promise((r) => (c.exitCode !== null ? r(null) : c.once("exit", r)))));
      wsProxy.close();
      smtp.close();
      await Promise.all([s3.stop(), upstash.stop()]);
    },
  };
}
