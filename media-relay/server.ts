import { createServer, type IncomingMessage } from "node:http";
import { WebSocketServer } from "ws";
import { verifyTwilioSignature } from "../core/twilio-signature";
import type { Db } from "../db/tenant";
import type { Duplex } from "node:stream";
import { type StreamClaims, verifyStreamToken } from "../core/stream-token";
import { handleTwilioStream } from "./twilio-session";
import { log } from "./call-session";
import { touchCalls } from "../db/queries/call-heartbeat";
import { handleWidgetSocket } from "./widget-session";
import { type CallSlots, callSlots } from "./call-slots";
import { noTransfer, type Transfer } from "./twilio-rest";
import { sandboxProviders } from "./voice/sandbox";
import type { RealtimeOptions } from "./voice/realtime";
import type { VoiceProviders } from "./voice/types";

import type { Embedder } from "../core/knowledge/embeddings";
import type { PiiCipher } from "../core/crypto/pii";

export type RelayOptions = {
  db: Db;
  tokenSecret: string;
  /** Verifies X-Twilio-Signature on the WebSocket handshake, as Twilio asks of Media Streams servers. */
  twilioAuthToken: string;
  /** The public origin Twilio connects to (wss://…, behind TLS termination); else taken from Host. */
  publicUrl?: string;
  providers?: VoiceProviders;
  /** Speech-to-speech agents' realtime model (a tenant's own OpenAI key wins); none: SANDBOX cascade. */
  realtimeFor?: (tenantId: string) => Promise<RealtimeOptions | null>;
  /** Per-call providers (a tenant's own keys); defaults to `providers` for every call. */
  providersFor?: (tenantId: string) => Promise<VoiceProviders>;
  transfer?: Transfer;
  /** Per-tenant concurrent calls; in-process and generous unless given. */
  slots?: CallSlots;
  /** The auth token of a tenant's Twilio account (subaccount or imported), which signs its streams. */
  accountToken?: (accountSid: string) => Promise<string | null>;
  /** Tests only: addresses the tool SSRF guard lets through (local fakes). */
  allowToolAddresses?: string[];
  /** Embeddings for knowledge retrieval (a tenant's own OpenAI key wins); none: SANDBOX. */
  embedderFor?: (tenantId: string) => Promise<Embedder>;
  /** How often the relay tells the database its calls are still live (the lost-call sweep reads it). */
  heartbeatMs?: number;
  /** The PII cipher: opens agents' HTTP tools' header values when a call starts. */
  pii?: PiiCipher;
};

/** The URL Twilio signed: the stream URL as written in the TwiML. */
function signedUrl(req: IncomingMessage, publicUrl?: string) {
  return new URL(req.url ?? "/", publicUrl ?? `ws://${req.headers.host}`).toString();
}

export function createRelayServer(opts: RelayOptions) {
  const deps = {
    db: opts.db,
    tokenSecret: opts.tokenSecret,
    providersFor: opts.providersFor ?? (async () => opts.providers ?? sandboxProviders),
    realtimeFor: opts.realtimeFor ?? (async () => null),
    transfer: opts.transfer ?? noTransfer,
    slots: opts.slots ?? callSlots(null, { limit: 1000 }),
    allowToolAddresses: opts.allowToolAddresses,
    embedderFor: opts.embedderFor,
    pii: opts.pii,
  };
  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  const server = createServer((req, res) => {
    if (req.url === "/health")
      return res.writeHead(200, { "content-type": "application/json" }).end('{"status":"ok","service":"relay"}');
    // Fly routes new calls only to relays that answer here: a draining one takes no more.
    if (req.url === "/ready")
      return res.writeHead(draining ? 503 : 200, { "content-type": "application/json" }).end(JSON.stringify({ status: draining ? "draining" : "ready", service: "relay", calls: sessions.size }));
    res.writeHead(404).end();
  });
  type Session = { shutdown(reason: string, code?: number): Promise<void>; owner(): { tenantId: string; callId: string } | undefined };
  const sessions = new Set<Session>();
  let draining = false;
  // One statement per tenant per beat: the calls this relay carries are alive. A relay that dies
  // stops beating, and the jobs' sweep closes its calls at the last beat (app/jobs/lost-calls).
  const heartbeat = setInterval(() => {
    const byTenant = new Map<string, string[]>();
    for (const { tenantId, callId } of [...sessions].flatMap((s) => s.owner() ?? [])) byTenant.set(tenantId, [...(byTenant.get(tenantId) ?? []), callId]);
    for (const [tenantId, callIds] of byTenant)
      touchCalls(opts.db, { tenantId, callIds }).catch((err) => log({ level: "warn", msg: "heartbeat not written", tenantId, err: String(err) }));
  }, opts.heartbeatMs ?? 15_000);
  heartbeat.unref();
  server.on("close", () => clearInterval(heartbeat));
  server.on("upgrade", async (req, socket, head) => {
    if (draining) return socket.end("HTTP/1.1 503 Service Unavailable\r\n\r\n");
    const url = new URL(req.url ?? "/", "http://relay");
    if (url.pathname === "/widget") return upgradeWidget(req, socket, head, url.searchParams.get("token"));
    if (url.pathname !== "/twilio") return socket.end("HTTP/1.1 404 Not Found\r\n\r\n");
    const signature = req.headers["x-twilio-signature"];
    const account = url.searchParams.get("account");
    const token = account ? await opts.accountToken?.(account).catch(() => null) : opts.twilioAuthToken;
    const valid =
      typeof signature === "string" && Boolean(token) &&
      (await verifyTwilioSignature(token!, signature, signedUrl(req, opts.publicUrl), {}));
    if (!valid) {
      log({ level: "warn", msg: "stream handshake refused", reason: "invalid X-Twilio-Signature" });
      return socket.end("HTTP/1.1 403 Forbidden\r\n\r\n");
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const transfer: typeof deps.transfer = (callSid, request) => deps.transfer(callSid, request, account ?? undefined);
      const session = handleTwilioStream(ws, { ...deps, transfer });
      sessions.add(session);
      ws.on("close", () => sessions.delete(session));
    });
  });

  /**
   * A browser's socket: a widget session token (single-use, a minute's life) issued to exactly the
   * page origin this socket comes from. Anything else is refused before the upgrade.
   */
  async function upgradeWidget(req: IncomingMessage, socket: Duplex, head: Buffer, token: string | null) {
    const refuse = (reason: string) => {
      log({ level: "warn", msg: "widget handshake refused", reason });
      socket.end("HTTP/1.1 403 Forbidden\r\n\r\n");
    };
    if (!token) return refuse("no token");
    let claims: StreamClaims;
    try {
      claims = await verifyStreamToken(opts.tokenSecret, token);
    } catch (err) {
      return refuse(`invalid token: ${(err as Error).message}`);
    }
    if (!claims.origin) return refuse("not a widget token");
    if (req.headers.origin !== claims.origin) return refuse("origin does not match the token");
    wss.handleUpgrade(req, socket, head, (ws) => {
      const session = handleWidgetSocket(ws, deps, claims);
      sessions.add(session);
      ws.on("close", () => sessions.delete(session));
    });
  }

  /**
   * SIGTERM: take no new calls, let live ones finish for up to `deadlineMs`, then close the rest
   * cleanly (their turns saved and the calls closed as `relay_shutdown`).
   */
  async function drain(deadlineMs: number) {
    draining = true;
    server.close();
    const until = Date.now() + deadlineMs;
    while (sessions.size && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
    await Promise.all([...sessions].map((s) => s.shutdown("relay_shutdown")));
  }
  return {
    server,
    wss,
    drain,
    /** The calls this relay carries now. */
    liveCalls: () => [...sessions].flatMap((s) => s.owner() ?? []),
    /** Ends a call this relay carries (an admin's request); false if it is not here. */
    async endCall(callId: string, reason: string) {
      const session = [...sessions].find((s) => s.owner()?.callId === callId);
      if (!session) return false;
      await session.shutdown(reason, 1000);
      return true;
    },
  };
}
