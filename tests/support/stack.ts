import type { Server } from "node:http";
import { unstable_DevEnv } from "wrangler";
import { createPiiCipher, generatePiiKey } from "../../core/crypto/pii";
import { createNodeDb } from "../../db/node-client";
import { twilioAccountBySid } from "../../db/queries/phone-numbers";
import { startWsProxy } from "../../db/ws-proxy";
import { startCallControl } from "../../media-relay/call-control";
import { createRelayServer } from "../../media-relay/server";
import { startUpstashRest } from "../fakes/upstash-rest";
import { startTestJobsWorker } from "./jobs";

const listen = (server: Server, port = 0) =>
  new Promise<number>((resolve) =>
    server.listen(port, "127.0.0.1", () => resolve((server.address() as { port: number }).port)),
  );

/**
 * The back half of the platform, each part real: the edge worker in workerd (Neon driver through
 * the WebSocket proxy, rate limits through Upstash REST over Redis), the relay and the jobs worker.
 */
export async function startStack(opts: {
  appUrl: string;
  redisUrl?: string;
  jobs?: boolean;
  twilioPerMinute?: number;
  bindings?: Record<string, string>;
  jobsEnv?: Record<string, string>;
}) {
  const secrets = {
    STREAM_TOKEN_SECRET: `st-${crypto.randomUUID()}`,
    TWILIO_AUTH_TOKEN: `tw-${crypto.randomUUID()}`,
    PII_ENCRYPTION_KEYS: generatePiiKey("it1"),
    PII_BLIND_INDEX_KEY: `bi-${crypto.randomUUID()}`,
  };
  const pii = createPiiCipher({ keys: secrets.PII_ENCRYPTION_KEYS, blindIndexKey: secrets.PII_BLIND_INDEX_KEY });
  const db = createNodeDb(opts.appUrl, { max: 5 });
  const newRelay = () =>
    createRelayServer({
      db,
      tokenSecret: secrets.STREAM_TOKEN_SECRET,
      twilioAuthToken: secrets.TWILIO_AUTH_TOKEN,
      twilioAccount: (sid) => twilioAccountBySid(db, pii, sid),
      pii,
    });
  let relay = newRelay();
  const relayPort = await listen(relay.server);
  // Admins' end-call requests reach the relay by Postgres signal alone here (the poll is the fallback).
  const control = startCallControl({
    db,
    url: opts.appUrl,
    relay: { liveCalls: () => relay.liveCalls(), endCall: (id, reason) => relay.endCall(id, reason) },
    pollMs: 3_600_000,
    log: () => {},
  });
  const proxy = await startWsProxy(0);
  const proxyPort = (proxy.address() as { port: number }).port;
  const upstashToken = `up-${crypto.randomUUID()}`;
  const upstash = await startUpstashRest({ redisUrl: opts.redisUrl ?? "redis://127.0.0.1:6379", token: upstashToken });
  const jobs =
    opts.jobs === false
      ? null
      : await startTestJobsWorker(opts.appUrl, {
          ...opts.jobsEnv,
          PII_ENCRYPTION_KEYS: secrets.PII_ENCRYPTION_KEYS,
          PII_BLIND_INDEX_KEY: secrets.PII_BLIND_INDEX_KEY,
        });
  const bindings: Record<string, string> = {
    DATABASE_URL: opts.appUrl,
    NEON_WS_PROXY: `127.0.0.1:${proxyPort}`,
    RELAY_PUBLIC_URL: `ws://127.0.0.1:${relayPort}`,
    UPSTASH_REDIS_REST_URL: upstash.url,
    UPSTASH_REDIS_REST_TOKEN: upstashToken,
    RATE_LIMIT_TWILIO_PER_MINUTE: String(opts.twilioPerMinute ?? 100_000), // the counter lives in the shared Redis, across test files
    ...secrets,
    ...opts.bindings,
  };
  // wrangler's own dev proxy stands in front of the worker; production has none, and the proxy
  // stalls the next request after a client hangs up mid-body. Raw-protocol tests go straight in.
  const devEnv = new unstable_DevEnv();
  let directUrl: (url: string) => void = () => {};
  const direct = new Promise<string>((resolve) => (directUrl = resolve));
  const reloaded = devEnv.proxy.onReloadComplete.bind(devEnv.proxy);
  devEnv.proxy.onReloadComplete = (event) => {
    const u = event.proxyData.userWorkerUrl;
    directUrl(`${u.protocol}//${u.hostname}:${u.port}/`);
    reloaded(event);
  };
  const worker = await devEnv.startWorker({
    config: "wrangler.toml",
    bindings: Object.fromEntries(Object.entries(bindings).map(([k, v]) => [k, { type: "plain_text", value: v }])),
    dev: { server: { hostname: "127.0.0.1", port: 0 }, inspector: false, watch: false, logLevel: "warn" },
  });
  const edgeUrl = (await worker.url).toString();
  const edgeDirectUrl = await direct;
  return {
    edgeUrl,
    /** The worker itself, without wrangler's dev proxy: where raw and malformed HTTP is sent. */
    edgeDirectUrl,
    upstash,
    db,
    pii,
    secrets,
    /**
     * A relay deploy: the running relay drains (its live calls closed as `relay_shutdown` once
     * `graceMs` has passed) and a new one takes the same port.
     */
    async restartRelay(graceMs = 0) {
      const old = relay;
      await old.drain(graceMs);
      relay = newRelay();
      await listen(relay.server, relayPort);
    },
    async stop() {
      await worker.dispose();
      await jobs?.stop();
      await control.close();
      for (const ws of relay.wss.clients) ws.terminate();
      relay.server.close();
      proxy.close();
      await upstash.stop();
      await db.$pool.end();
    },
  };
}
