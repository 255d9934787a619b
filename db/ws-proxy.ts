import { createServer, type Server } from "node:http";
import net from "node:net";
import { WebSocketServer } from "ws";

/**
 * What Neon runs in front of Postgres, for local use: a WebSocket whose binary frames are raw
 * Postgres wire bytes, relayed to `?address=host:port`. Loopback targets only.
 */
export function startWsProxy(port: number): Promise<Server> {
  const server = createServer((_req, res) => res.writeHead(426).end("websocket only"));
  const wss = new WebSocketServer({ server });
  wss.on("connection", (ws, req) => {
    const address = new URL(req.url ?? "/", "http://x").searchParams.get("address") ?? "";
    const [host, portText] = address.split(":");
    if (!host || !["127.0.0.1", "localhost"].includes(host)) return ws.close(1008, "loopback only");
    const socket = net.connect(Number(portText), host);
    socket.setNoDelay(true);
    socket.on("data", (data) => ws.send(data));
    socket.on("close", () => ws.close());
    socket.on("error", () => ws.close());
    ws.on("message", (data) => socket.write(data as Buffer));
    ws.on("close", () => socket.destroy());
    ws.on("error", () => socket.destroy());
  });
  return new Promise((resolve) => server.listen(port, "127.0.0.1", () => resolve(server)));
}
