import { startUpstashRest } from "../fakes/upstash-rest";

/** The Upstash REST adapter in its own process for bench:edge, so it does not share the load generator's event loop. */
const [redisUrl, token] = process.argv.slice(2) as [string, string];
const upstash = await startUpstashRest({ redisUrl, token });
process.send!({ url: upstash.url });
process.on("message", (m: { cmd: string }) => m.cmd === "count" && process.send!({ roundTrips: upstash.roundTrips }));
