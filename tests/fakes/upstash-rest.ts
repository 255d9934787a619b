import { createServer, type Server } from "node:http";
import { Redis } from "ioredis";

/**
 * Upstash's Redis REST API in front of a real Redis: `POST /` runs one command array,
 * `/pipeline` and `/multi-exec` run several; `Authorization: Bearer`; replies `{result}` or
 * `{error}`, strings base64-encoded when the client sends `Upstash-Encoding: base64`.
 */
export async function startUpstashRest(opts: {
  redisUrl: string;
  token: string;
  port?: number /** Simulates a slow Redis. */;
  delayMs?: number;
}) {
  const redis = new Redis(opts.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();

  const encode = (value: unknown, base64: boolean): unknown => {
    if (!base64) return value;
    if (typeof value === "string") return Buffer.from(value).toString("base64");
    if (Array.isArray(value)) return value.map((v) => encode(v, base64));
    return value;
  };
  const run = async (command: unknown[], base64: boolean) => {
    try {
      const [name, ...args] = command.map(String);
      return { result: encode(await redis.call(name!, ...args), base64) };
    } catch (err) {
      return { error: (err as Error).message };
    }
  };

  let roundTrips = 0;
  let delayMs = opts.delayMs ?? 0;
  let down = false;
  const server: Server = createServer(async (req, res) => {
    roundTrips++;
    const send = (status: number, body: unknown) =>
      res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
    if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
    if (down) return send(503, { error: "Service Unavailable" });
    if (req.headers.authorization !== `Bearer ${opts.token}`) return send(401, { error: "Unauthorized" });
    const chunks: Buffer[] = [];
    try {
      for await (const chunk of req) chunks.push(chunk as Buffer);
    } catch {
      return; // the client gave up (its own timeout) while we were slow: nobody to answer
    }
    let body: unknown;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString() || "null");
    } catch {
      return send(400, { error: "ERR failed to parse command" });
    }
    const base64 = req.headers["upstash-encoding"] === "base64";
    const path = (req.url ?? "/").split("?")[0];
    if (path === "/pipeline" || path === "/multi-exec") {
      if (!Array.isArray(body) || !body.every(Array.isArray))
        return send(400, { error: "ERR pipeline body must be an array of commands" });
      if (path === "/multi-exec") await redis.call("MULTI");
      const results = [];
      for (const cmd of body as unknown[][]) results.push(await run(cmd, base64));
      if (path === "/multi-exec") await redis.call("EXEC");
      return send(200, results);
    }
    if (!Array.isArray(body)) return send(400, { error: "ERR command must be an array" });
    const reply = await run(body, base64);
    return send("error" in reply ? 400 : 200, reply);
  });
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    /** HTTP requests answered: each is one round trip from a client to Redis. */
    get roundTrips() {
      return roundTrips;
    },
    /** A Redis that answers late from now on (0: on time again). */
    slowDown(ms: number) {
      delayMs = ms;
    },
    /** An outage: every command fails until it is over. */
    setDown(value: boolean) {
      down = value;
    },
    async stop() {
      server.close();
      server.closeAllConnections();
      await redis.quit();
    },
  };
}
