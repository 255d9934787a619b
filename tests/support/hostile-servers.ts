import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { OutboundError } from "../../core/net/bounded-fetch";

/**
 * HTTP servers that behave as a hostile or broken tenant endpoint might, built on node:http so
 * nothing is simulated: `drip` answers a status and then one byte every `intervalMs`, for ever;
 * `silent` accepts and never answers; `endless` answers an unending body as fast as the socket
 * takes it; `redirect` points elsewhere. Each counts the requests it got and the connections that
 * are open, so tests wait for the client to hang up instead of sleeping.
 */
export type Hostile = "drip" | "silent" | "endless" | "redirect";

export async function startHostileServer(opts: {
  mode: Hostile;
  intervalMs?: number;
  status?: number;
  location?: string;
}) {
  const open = new Set<Socket>();
  const requests: { path: string; host: string; body: string }[] = [];
  let peakOpen = 0;
  const timers = new Set<ReturnType<typeof setInterval>>();
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      requests.push({ path: req.url ?? "", host: req.headers.host ?? "", body });
      if (opts.mode === "silent") return;
      if (opts.mode === "redirect") return res.writeHead(302, { location: opts.location ?? "/" }).end();
      res.writeHead(opts.status ?? 200, { "content-type": "text/plain" });
      if (opts.mode === "drip") {
        const t = setInterval(() => res.write("."), opts.intervalMs ?? 20);
        timers.add(t);
        res.on("close", () => {
          clearInterval(t);
          timers.delete(t);
        });
        return;
      }
      const block = Buffer.alloc(16 * 1024, "x");
      const pump = () => {
        while (!res.destroyed && res.write(block));
      };
      res.on("drain", pump);
      pump();
    });
  };
  const server = createServer(handle);
  server.on("connection", (socket) => {
    open.add(socket);
    peakOpen = Math.max(peakOpen, open.size);
    socket.on("error", () => {});
    socket.on("close", () => open.delete(socket));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    /** Connections the client has not closed yet. */
    openConnections: () => open.size,
    peakOpenConnections: () => peakOpen,
    async stop() {
      for (const t of timers) clearInterval(t);
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}

export type HostileServer = Awaited<ReturnType<typeof startHostileServer>>;

/** How a request ended: "answered", or the OutboundError's kind ("timeout", "refused", …). */
export const outcomeOf = (request: Promise<unknown>) =>
  request.then(
    () => "answered",
    (e) => (e instanceof OutboundError ? e.kind : String(e)),
  );
