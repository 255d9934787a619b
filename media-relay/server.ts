import { createServer } from "node:http";
import { WebSocketServer } from "ws";
import type { Db } from "../db/tenant";
import { handleTwilioStream } from "./twilio-session";
import { sandboxProviders } from "./voice/sandbox";
import type { VoiceProviders } from "./voice/types";

export function createRelayServer(opts: { db: Db; tokenSecret: string; providers?: VoiceProviders }) {
  const deps = { ...opts, providers: opts.providers ?? sandboxProviders };
  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  const server = createServer((req, res) => {
    if (req.url === "/health") return res.writeHead(200, { "content-type": "application/json" }).end('{"status":"ok","service":"relay"}');
    res.writeHead(404).end();
  });
  server.on("upgrade", (req, socket, head) => {
    const path = new URL(req.url ?? "/", "http://relay").pathname;
    if (path !== "/twilio") return socket.end("HTTP/1.1 404 Not Found\r\n\r\n");
    wss.handleUpgrade(req, socket, head, (ws) => handleTwilioStream(ws, deps));
  });
  return { server, wss };
}
