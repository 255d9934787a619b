import { createServer, type IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { type WebSocket, WebSocketServer } from "ws";
import type { PiiCipher } from "../core/crypto/pii";
import type { Embedder } from "../core/knowledge/embeddings";
import { type StreamClaims, verifyStreamToken } from "../core/stream-token";
import { verifyTwilioSignature } from "../core/twilio-signature";
import { touchCalls } from "../db/queries/call-heartbeat";
import { answerCall, closeCall } from "../db/queries/call-lifecycle";
import type { TwilioAccount } from "../db/queries/phone-numbers";
import type { Db } from "../db/tenant";
import { createLineCache } from "../voice/greeting-cache";
import type { RealtimeOptions } from "../voice/realtime";
import { sandboxProviders } from "../voice/sandbox";
import type { VoiceProviders } from "../voice/types";
import { callRecordWriter } from "./call-records";
import { log } from "./call-session";
import { type CallSlots, callSlots } from "./call-slots";
import { readHandshake, signedStreamUrl } from "./handshake";
import { noTransfer, type Transfer } from "./twilio-rest";
import { handleTwilioStream } from "./twilio-session";
import { handleWidgetSocket } from "./widget-session";

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
  /** A tenant's Twilio account (subaccount or imported): its auth token signs its streams. */
  twilioAccount?: (accountSid: string) => Promise<TwilioAccount | null>;
  /** Tests only: addresses the tool SSRF guard lets through (local fakes). */
  allowToolAddresses?: string[];
  /** Embeddings for knowledge retrieval (a tenant's own OpenAI key wins); none: SANDBOX. */
  embedderFor?: (tenantId: string) => Promise<Embedder>;
  /** How often the relay tells the database its calls are still live (the lost-call sweep reads it). */
  heartbeatMs?: number;
  /** The PII cipher: opens agents' HTTP tools' header values when a call starts. */
  pii?: PiiCipher;
  /** One of several relay workers (media-relay/cluster.ts): named in `/ready` and on each handshake. */
  worker?: { number: number; callsChanged(count: number): void };
  /** Memory for rendered greetings (docs/decisions/0044); default 16 MiB, 0: every greeting goes to TTS. */
  greetingCacheBytes?: number;
};

type Session = {
  shutdown(reason: string, code?: number): Promise<void>;
  owner(): { tenantId: string; callId: string } | undefined;
};

/** Ends a handshake with a bare HTTP answer; a socket already gone is left alone. */
function refuse(socket: Duplex, status: string) {
  if (!socket.destroyed) socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

/** What `ws` checks before it completes a handshake, checked before a call is answered for it. */
const looksLikeWebSocket = (req: IncomingMessage) =>
  req.method === "GET" &&
  req.headers.upgrade?.toLowerCase() === "websocket" &&
  /^[+/0-9A-Za-z]{22}==$/.test(req.headers["sec-websocket-key"] ?? "") &&
  ["8", "13"].includes(req.headers["sec-websocket-version"] ?? "");

export function createRelayServer(opts: RelayOptions) {
  const deps = {
    db: opts.db,
    tokenSecret: opts.tokenSecret,
    providersFor: opts.providersFor ?? (async () => opts.providers ?? sandboxProviders),
    realtimeFor: opts.realtimeFor ?? (async () => null),
    transfer: opts.transfer ?? noTransfer,
    slots: opts.slots ?? callSlots(null, { limit: 1000 }),
    records: callRecordWriter(opts.db, log),
    allowToolAddresses: opts.allowToolAddresses,
    embedderFor: opts.embedderFor,
    pii: opts.pii,
    lines: opts.greetingCacheBytes === 0 ? undefined : createLineCache(opts.greetingCacheBytes),
  };
  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  wss.on("error", (err) => log({ level: "error", msg: "websocket server error", err: err.message }));
  const worker = opts.worker;
  // Which worker took a socket, for whoever debugs a call (and the tests of workers).
  if (worker) wss.on("headers", (headers) => headers.push(`X-Relay-Worker: ${worker.number}`));
  const server = createServer((req, res) => {
    if (req.url === "/health")
      return res.writeHead(200, { "content-type": "application/json" }).end('{"status":"ok","service":"relay"}');
    // Fly routes new calls only to relays that answer here: a draining one takes no more.
    if (req.url === "/ready")
      return res.writeHead(draining ? 503 : 200, { "content-type": "application/json" }).end(
        JSON.stringify({
          status: draining ? "draining" : "ready",
          service: "relay",
          // A worker answers for itself: the relay's total is on the operations port (cluster.ts).
          calls: sessions.size,
          ...(worker && { worker: worker.number }),
        }),
      );
    res.writeHead(404).end();
  });
  const sessions = new Set<Session>();
  let draining = false;
  // One statement per tenant per beat: the calls this relay carries are alive. A relay that dies
  // stops beating, and the jobs' sweep closes its calls at the last beat (app/jobs/lost-calls).
  const heartbeat = setInterval(() => {
    const byTenant = new Map<string, string[]>();
    for (const { tenantId, callId } of [...sessions].flatMap((s) => s.owner() ?? []))
      byTenant.set(tenantId, [...(byTenant.get(tenantId) ?? []), callId]);
    for (const [tenantId, callIds] of byTenant)
      touchCalls(opts.db, { tenantId, callIds }).catch((err) =>
        log({ level: "warn", msg: "heartbeat not written", tenantId, err: String(err) }),
      );
  }, opts.heartbeatMs ?? 15_000);
  heartbeat.unref();
  server.on("close", () => clearInterval(heartbeat));
  server.on("upgrade", (req, socket, head) => {
    // A client that resets mid-handshake must cost only its own socket, never the process.
    socket.on("error", (err) => log({ level: "warn", msg: "upgrade socket error", err: err.message }));
    acceptUpgrade(req, socket, head).catch((err) => {
      log({ level: "error", msg: "upgrade failed", err: String(err) });
      refuse(socket, "500 Internal Server Error");
    });
  });

  async function acceptUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer) {
    if (draining) return refuse(socket, "503 Service Unavailable");
    const handshake = readHandshake(req.url);
    if (handshake.kind === "widget") return upgradeWidget(req, socket, head, handshake.token);
    if (handshake.kind !== "twilio") return refuse(socket, "404 Not Found");
    const { account } = handshake;
    const signature = req.headers["x-twilio-signature"];
    const token = account ? (await opts.twilioAccount?.(account).catch(() => null))?.authToken : opts.twilioAuthToken;
    const valid =
      typeof signature === "string" &&
      Boolean(token) &&
      (await verifyTwilioSignature(
        token!,
        signature,
        signedStreamUrl(handshake.path, opts.publicUrl, req.headers.host),
        {},
      ));
    if (!valid) {
      log({ level: "warn", msg: "stream handshake refused", reason: "invalid X-Twilio-Signature" });
      return refuse(socket, "403 Forbidden");
    }
    upgrade(req, socket, head, (ws, connection) => {
      const transfer: typeof deps.transfer = (callSid, request) =>
        deps.transfer(callSid, request, account ?? undefined);
      return handleTwilioStream(ws, connection, { ...deps, transfer }, { account });
    });
  }

  /** Completes a WebSocket handshake and hands the socket to its session, every error of it caught. */
  function upgrade(
    req: IncomingMessage,
    socket: Duplex,
    head: Buffer,
    start: (ws: WebSocket, socket: Duplex) => Session,
    onAbort?: () => void,
  ) {
    let upgraded = false;
    if (onAbort) socket.once("close", () => upgraded || onAbort());
    wss.handleUpgrade(req, socket, head, (ws) => {
      upgraded = true;
      // Oversized, malformed or unmasked frames end this socket (ws closes it with 1009/1002), nothing else.
      ws.on("error", (err) => log({ level: "warn", msg: "socket error", err: err.message }));
      const session = start(ws, socket);
      sessions.add(session);
      worker?.callsChanged(sessions.size);
      ws.on("close", () => {
        sessions.delete(session);
        worker?.callsChanged(sessions.size);
      });
    });
  }

  /**
   * A browser's socket: a widget session token (a minute's life) issued to exactly the page origin
   * this socket comes from, used once: the call is answered before the upgrade, so a second socket
   * with the same token is refused here and never touches the live call. Else refused before the upgrade.
   */
  async function upgradeWidget(req: IncomingMessage, socket: Duplex, head: Buffer, token: string | null) {
    const refused = (reason: string) => {
      log({ level: "warn", msg: "widget handshake refused", reason });
      refuse(socket, "403 Forbidden");
    };
    if (!token) return refused("no token");
    let claims: StreamClaims;
    try {
      claims = await verifyStreamToken(opts.tokenSecret, token);
    } catch (err) {
      return refused(`invalid token: ${(err as Error).message}`);
    }
    if (!claims.origin) return refused("not a widget token");
    if (req.headers.origin !== claims.origin) return refused("origin does not match the token");
    if (!looksLikeWebSocket(req)) return refuse(socket, "400 Bad Request");
    const answered = await answerCall(opts.db, claims);
    if (!answered) return refused("token already used");
    const abandoned = () =>
      void closeCall(opts.db, { tenantId: claims.tenantId, callId: claims.callId, reason: "stream_closed" }).catch(
        (err) => log({ level: "error", msg: "close failed", err: String(err) }),
      );
    upgrade(
      req,
      socket,
      head,
      (ws, connection) => handleWidgetSocket(ws, connection, deps, claims, answered),
      abandoned,
    );
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
