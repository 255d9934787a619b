import type { AddressInfo } from "node:net";
import { connect, createServer, type Socket } from "node:net";

type Mode = "pass" | "latency" | "blackhole" | "down";
type Cut = { afterBytes: number; how: "reset" | "stall"; remaining: number };
type Link = { client: Socket; upstream?: Socket; fromUpstream: number; cut?: Cut };

/**
 * A TCP proxy between two parts of the platform, for fault injection: it passes bytes through,
 * or delays them, or swallows them (a blackhole: connections stay open, nothing arrives), or is
 * down (every connection reset, new ones refused with a reset). `cutAfter` breaks connections
 * mid-stream once the server has sent so many bytes: a reset, or a stall.
 */
export async function startFaultProxy(target: { host?: string; port: number }) {
  let mode: Mode = "pass";
  let latencyMs = 0;
  let delayRequests = true;
  let cut: Cut | null = null;
  const links = new Set<Link>();
  let connections = 0;

  const later = (fn: () => void, request = false) =>
    mode === "latency" && latencyMs > 0 && (delayRequests || !request) ? setTimeout(fn, latencyMs) : fn();
  const server = createServer((client) => {
    connections++;
    client.on("error", () => {});
    if (mode === "down") return client.resetAndDestroy();
    const link: Link = { client, fromUpstream: 0 };
    if (cut && cut.remaining > 0) {
      cut.remaining--;
      link.cut = cut;
    }
    links.add(link);
    client.setNoDelay(true);
    const drop = () => {
      links.delete(link);
      client.destroy();
      link.upstream?.destroy();
    };
    client.on("error", drop).on("close", drop);
    if (mode === "blackhole") return client.on("data", () => {});
    const upstream = connect(target.port, target.host ?? "127.0.0.1");
    link.upstream = upstream;
    upstream.setNoDelay(true);
    upstream.on("error", () => client.resetAndDestroy()).on("close", () => client.destroy());
    upstream.on("error", () => {});
    client.on("data", (chunk) => {
      if (mode === "blackhole") return;
      later(() => upstream.writable && upstream.write(chunk), true);
    });
    upstream.on("data", (chunk) => {
      if (mode === "blackhole" || link.fromUpstream < 0) return;
      const cutHere = link.cut;
      if (cutHere && link.fromUpstream + chunk.length > cutHere.afterBytes) {
        const keep = chunk.subarray(0, Math.max(0, cutHere.afterBytes - link.fromUpstream));
        const how = cutHere.how;
        link.fromUpstream = -1; // nothing more through this one
        later(() => {
          if (keep.length) client.write(keep);
          if (how === "reset")
            setTimeout(() => {
              client.resetAndDestroy();
              upstream.destroy();
            }, 20);
        });
        return;
      }
      link.fromUpstream += chunk.length;
      later(() => client.writable && client.write(chunk));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;
  const resetAll = () => {
    for (const l of links) {
      l.client.resetAndDestroy();
      l.upstream?.destroy();
    }
    links.clear();
  };
  return {
    port,
    host: "127.0.0.1",
    /** Connections accepted so far (a client that reconnected shows here). */
    connections: () => connections,
    pass() {
      mode = "pass";
      cut = null;
    },
    /** Every byte `ms` late; `responsesOnly`: the request arrives at once, the answer late (a slow server). */
    latency(ms: number, { responsesOnly = false } = {}) {
      mode = "latency";
      latencyMs = ms;
      delayRequests = !responsesOnly;
    },
    /** Open connections and new ones go silent. */
    blackhole() {
      mode = "blackhole";
    },
    /** The far side is gone: open connections reset, new ones reset at once. */
    down() {
      mode = "down";
      resetAll();
    },
    /**
     * The next `connections` connections break once the server has sent `afterBytes` on each.
     * Open connections are reset first, so a client's next request takes a new one.
     */
    cutAfter(afterBytes: number, how: "reset" | "stall", connections = Number.POSITIVE_INFINITY) {
      resetAll();
      cut = { afterBytes, how, remaining: connections };
    },
    /** Every open connection reset now (the far side restarted). */
    resetAll,
    stop: () =>
      new Promise<void>((r) => {
        resetAll();
        server.close(() => r());
      }),
  };
}
