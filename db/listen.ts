import pg from "pg";
import type { Channel } from "./live-signals";

/**
 * LISTENs on a channel over a connection of its own (a pooled one would be handed back), and
 * reconnects with backoff when the database goes away. Signals are wake-ups, not data: a consumer
 * reads the rows, and also polls, since a signal sent while disconnected is lost (and PGlite's
 * socket server delivers none across connections).
 */
export function listen(
  url: string,
  channel: Channel,
  onPayload: (payload: string) => void,
  log: (f: Record<string, unknown>) => void,
) {
  let client: pg.Client | null = null;
  let closed = false;
  let delay = 500;
  const connect = async () => {
    if (closed) return;
    const c = new pg.Client({ connectionString: url });
    c.on("notification", (n) => n.channel === channel && n.payload && onPayload(n.payload));
    c.on("error", (err) => log({ level: "warn", msg: "listen connection lost", channel, err: err.message }));
    c.on("end", () => {
      if (client === c) client = null;
      delay = Math.min(delay * 2, 10_000);
      if (!closed) setTimeout(connect, delay);
    });
    try {
      await c.connect();
      await c.query(`LISTEN ${channel}`);
      client = c;
      delay = 500;
    } catch (err) {
      log({ level: "warn", msg: "listen failed", channel, err: (err as Error).message });
      await c.end().catch(() => {});
    }
  };
  void connect();
  return {
    async close() {
      closed = true;
      await client?.end().catch(() => {});
    },
  };
}
