import cluster from "node:cluster";
import { writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import { WebSocketServer } from "ws";
import { createNodeDb } from "../../db/node-client";
import { createRelayServer } from "../../media-relay/server";
import type { VoiceProviders } from "../../voice/types";
import { runBenchPrimary } from "./relay-server-cluster";
import { partOf, summarize } from "./relay-stats";

/**
 * A benchmark child process: `echo` is a bare `ws` server (the ceiling), `relay` is our relay with
 * instant in-process providers. Both read the send time the client wrote into each frame's first
 * 8 bytes, so "added latency" means the same in both: client send → frame in the handler that
 * consumes it. Stats go back to the parent over IPC. With RELAY_WORKERS above 1 either server runs
 * as that many processes sharing the port (relay-server-cluster.ts answers for them all).
 */
const [mode, databaseUrl, tokenSecret, authToken] = process.argv.slice(2) as [string, string, string, string];
const workers = Number(process.env.RELAY_WORKERS ?? 1);
if (cluster.isPrimary && workers > 1) {
  await runBenchPrimary(workers);
} else {
  await serve();
}

async function serve() {
  const latencies: number[] = [];
  let frames = 0;
  const nowMs = () => performance.timeOrigin + performance.now();
  const record = (payload: Uint8Array) => {
    frames++;
    if (payload.length >= 8)
      latencies.push(nowMs() - new DataView(payload.buffer, payload.byteOffset, 8).getFloat64(0));
  };

  let port: number;
  if (mode === "echo") {
    const wss = new WebSocketServer({ port: 0, host: "127.0.0.1" });
    wss.on("connection", (ws) =>
      ws.on("message", (data) => {
        const msg = JSON.parse(String(data)) as { event: string; media?: { payload: string } };
        if (msg.event === "media") record(Buffer.from(msg.media!.payload, "base64"));
        ws.send(data);
      }),
    );
    await new Promise((r) => wss.on("listening", r));
    port = (wss.address() as { port: number }).port;
  } else {
    const audio = new Uint8Array(160 * 25).fill(0x7f); // half a second of (quiet) agent speech
    const providers: VoiceProviders = {
      sandbox: false,
      // Every 100 frames (2 s) of caller audio, an instant final transcript; calls out of step, as real ones are.
      stt: async (events) => {
        let n = Math.floor(Math.random() * 100);
        return {
          send(frame) {
            record(frame);
            if (++n % 100 === 0) events.onTranscript({ text: "Is it open?", final: true, endOfTurn: true });
          },
          async close() {},
        };
      },
      llm: {
        async *stream() {
          yield "Yes.";
        },
      },
      tts: {
        async *synthesize(text) {
          for await (const _ of text) yield audio;
        },
      },
    };
    const db = createNodeDb(databaseUrl, { max: 20 });
    // The benchmark's thousand calls all belong to one tenant: admission (plan concurrency) is not what it measures.
    const unlimited = { acquire: async () => true, release: async () => {} };
    const relay = createRelayServer({ db, tokenSecret, twilioAuthToken: authToken, providers, slots: unlimited });
    await new Promise<void>((r) => relay.server.listen(0, "127.0.0.1", r));
    port = (relay.server.address() as { port: number }).port;
  }

  // BENCH_CPU_PROF=dir: a V8 CPU profile of the measured window only (no start-up, no call set-up).
  const profileDir = process.env.BENCH_CPU_PROF;
  const profiler = profileDir ? new Session() : undefined;
  profiler?.connect();
  let profiling = false;
  let since = { cpu: process.cpuUsage(), at: performance.now() };
  process.on("message", async (msg: { cmd: string }) => {
    if (msg.cmd === "reset") {
      latencies.length = 0;
      since = { cpu: process.cpuUsage(), at: performance.now() };
      if (profiler && !profiling) {
        profiling = true;
        await profiler.post("Profiler.enable");
        await profiler.post("Profiler.start");
      }
    }
    if (msg.cmd !== "stats") return;
    const part = partOf(frames, latencies, since);
    if (profiler && profiling) {
      profiling = false;
      const { profile } = await profiler.post("Profiler.stop");
      writeFileSync(`${profileDir}/${mode}-${process.pid}.cpuprofile`, JSON.stringify(profile));
    }
    // A worker gives its primary the raw part, to be merged with the other workers'.
    process.send!(cluster.isWorker ? { part } : summarize([part]));
  });
  process.send!({ ready: true, port, pids: [process.pid] });
}
