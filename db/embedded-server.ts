import { createServer, type Socket } from "node:net";
import type { PGlite } from "@electric-sql/pglite";
import { endStatus, errorResponse, FrontendReader, message, query, sync, WireError } from "./pg-wire";

export type SessionServerOptions = {
  port: number;
  host?: string;
  maxConnections?: number;
  maxMessageBytes?: number;
  /** A client that keeps the session (inside a transaction) and sends nothing this long is disconnected. */
  idleHoldMs?: number;
  log?: (level: "warn" | "error", msg: string) => void;
};

type Client = {
  id: number;
  name: string;
  socket: Socket;
  reader: FrontendReader;
  pending: Buffer[];
  running: boolean;
  closed: boolean;
  ending: boolean;
  startupQueued?: boolean;
  idleTimer?: NodeJS.Timeout;
};

/**
 * One PGlite database, which is one Postgres session, served to many clients over the wire
 * protocol the way PgBouncer's transaction pooling shares a server connection: a client holds
 * the session from its first message until a reply ends in ReadyForQuery with the session idle
 * (no transaction, no extended-protocol sequence open); the others wait their turn, in order.
 * A client that leaves while holding it has its sequence synced and its transaction rolled back;
 * connecting never waits for the session.
 * Session-level state (SET without LOCAL, LISTEN, named statements) is still shared by all.
 * docs/decisions/0029.
 */
export async function serveSession(
  db: Pick<PGlite, "runExclusive" | "execProtocolRawStream">,
  opts: SessionServerOptions,
) {
  const log = opts.log ?? (() => {});
  const clients = new Set<Client>();
  const waiting: Client[] = [];
  let holder: Client | null = null;
  let greeting: Buffer | undefined;
  let nextId = 1;

  const exec = (bytes: Buffer) =>
    db.runExclusive(async () => {
      const chunks: Buffer[] = [];
      // The chunks are views of PGlite's memory, reused by its next reply: copied.
      await db.execProtocolRawStream(new Uint8Array(bytes), { onRawData: (c) => chunks.push(Buffer.from(c)) });
      return Buffer.concat(chunks);
    });

  const next = () => {
    while (!holder && waiting.length) {
      const c = waiting.shift()!;
      if (c.closed || !c.pending.length) continue;
      holder = c;
      void run(c);
    }
  };

  const want = (c: Client) => {
    if (c.closed || c.running || !c.pending.length) return;
    if (holder === c) return void run(c);
    if (!waiting.includes(c)) waiting.push(c);
    next();
  };

  async function run(c: Client) {
    c.running = true;
    clearTimeout(c.idleTimer);
    let free = false;
    try {
      while (c.pending.length && !c.closed && !free) {
        const reply = await exec(Buffer.concat(c.pending.splice(0, c.startupQueued ? 1 : c.pending.length)));
        if (c.startupQueued && endStatus(reply) === "I") greeting ??= reply;
        c.startupQueued = false;
        if (!c.closed) c.socket.write(reply);
        free = endStatus(reply) === "I";
      }
    } catch (err) {
      log("error", `embedded database: client ${c.name} failed: ${(err as Error).message}`);
      drop(c);
    }
    c.running = false;
    if (c.closed) return finish(c);
    if (free) holder = null;
    if (c.ending && !c.pending.length) {
      drop(c);
      return next();
    }
    if (free) {
      want(c);
      return next();
    }
    if (c.pending.length) return void run(c);
    c.idleTimer = setTimeout(() => {
      log(
        "warn",
        `embedded database: ${c.name} kept a transaction open and idle for ${opts.idleHoldMs ?? 60_000} ms while others waited; disconnected`,
      );
      drop(
        c,
        errorResponse(
          "FATAL",
          "25P03",
          "terminating connection due to idle-in-transaction timeout (the embedded database has one session)",
        ),
      );
    }, opts.idleHoldMs ?? 60_000);
  }

  /** The client is gone: if it held the session, end whatever it left open, then pass the session on. */
  async function finish(c: Client) {
    if (holder !== c || c.running) return;
    try {
      // CopyFail ends a COPY FROM STDIN (outside COPY the backend ignores it); Sync ends an extended-protocol sequence.
      const status = endStatus(await exec(Buffer.concat([message("f", Buffer.from("client disconnected\0")), sync()])));
      if (status !== "I") await exec(query("ROLLBACK"));
    } catch (err) {
      log("error", `embedded database: could not reset the session after ${c.name}: ${(err as Error).message}`);
    }
    holder = null;
    next();
  }

  function drop(c: Client, last?: Buffer) {
    if (c.closed) return;
    c.closed = true;
    clients.delete(c);
    clearTimeout(c.idleTimer);
    const at = waiting.indexOf(c);
    if (at >= 0) waiting.splice(at, 1);
    if (last) c.socket.end(last);
    else c.socket.end();
    setTimeout(() => c.socket.destroy(), 1000).unref();
    void finish(c);
  }

  function onData(c: Client, chunk: Buffer) {
    try {
      for (const m of c.reader.push(chunk)) {
        if (m.kind === "ssl" || m.kind === "gssenc") c.socket.write("N");
        else if (m.kind === "cancel")
          drop(c); // each statement runs to its end: there is nothing to cancel
        else if (m.kind === "message" && m.type === "X") c.ending = true;
        else if (m.kind === "startup") {
          c.name = `${applicationName(m.bytes) ?? "client"} #${c.id}`;
          // Answered without the session, as PgBouncer does: connecting never waits behind a
          // transaction (pools give up connecting after seconds). The first is PGlite's own answer.
          if (greeting) c.socket.write(greeting);
          else {
            c.pending.push(m.bytes);
            c.startupQueued = true;
          }
        } else c.pending.push(m.bytes);
      }
    } catch (err) {
      // A client's bytes end that client's connection, never the server.
      if (!(err instanceof WireError))
        log("error", `embedded database: ${c.name} sent what could not be read: ${(err as Error).message}`);
      return drop(c, errorResponse("FATAL", "08P01", (err as Error).message));
    }
    if (c.ending && !c.pending.length && !c.running) return drop(c);
    want(c);
  }

  const server = createServer((socket) => {
    socket.on("error", () => {});
    if (clients.size >= (opts.maxConnections ?? 200))
      return socket.end(errorResponse("FATAL", "53300", "sorry, too many clients already"));
    socket.setNoDelay(true);
    const id = nextId++;
    const c: Client = {
      id,
      name: `#${id}`,
      socket,
      reader: new FrontendReader(opts.maxMessageBytes ?? 256 * 2 ** 20),
      pending: [],
      running: false,
      closed: false,
      ending: false,
    };
    clients.add(c);
    socket.on("data", (chunk) => onData(c, chunk));
    socket.on("close", () => drop(c));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, opts.host ?? "127.0.0.1", () => resolve());
  });
  const address = server.address();
  return {
    port: typeof address === "object" && address ? address.port : opts.port,
    stats: () => ({ clients: clients.size, waiting: waiting.length, holding: holder?.name ?? null }),
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of clients) drop(c);
        server.close(() => resolve());
      }),
  };
}

/** The startup message's application_name (pg-boss sets one), to name a client in the log. */
function applicationName(startup: Buffer) {
  const pairs = startup.subarray(8).toString("utf8").split("\0");
  const at = pairs.indexOf("application_name");
  return at >= 0 && at % 2 === 0 ? pairs[at + 1] : undefined;
}
