import { writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import { WebSocketServer } from "ws";
import { createNodeDb } from "../../db/node-client";
import { createRelayServer } from "../../media-relay/server";
import type { VoiceProviders } from "../../voice/types";

/**
 * A benchmark child process: `echo` is a bare `ws` server (the ceiling), `relay` is our relay with
 * instant in-process providers. Both read the send time the client wrote into each frame's first
 * 8 bytes, so "added latency" means the same in both: client send → frame in the handler that
 * consumes it. Stats go back to the parent over IPC.
 */
const [mode, databaseUrl, tokenSecret, authToken] = process.argv.slice(2) as [string, string, string, string];
const latencies: number[] = [];
let frames = 0;
const nowMs = () => performance.timeOrigin + performance.now();
const record = (payload: Uint8Array) => {
  frames++;
  if (payload.length >= 8) latencies.push(nowMs() - new DataView(payload.buffer, payload.byteOffset, 8).getFloat64(0));
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

let cpu = process.cpuUsage();
let since = performance.now();
process.on("message", async (msg: { cmd: string }) => {
  if (msg.cmd === "reset") {
    latencies.length = 0;
    cpu = process.cpuUsage();
    since = performance.now();
    if (profiler && !profiling) {
      profiling = true;
      await profiler.post("Profiler.enable");
      await profiler.post("Profiler.start");
    }
    return;
  }
  if (msg.cmd === "stats") {
    const used = process.cpuUsage(cpu);
    const elapsedMs = performance.now() - since;
    if (profiler && profiling) {
      profiling = false;
      const { profile } = await profiler.post("Profiler.stop");
      writeFileSync(`${profileDir}/${mode}-${process.pid}.cpuprofile`, JSON.stringify(profile));
    }
    const sorted = Float64Array.from(latencies).sort();
    const q = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
    process.send!({
      frames,
      measured: sorted.length,
      p50: q(0.5),
      p99: q(0.99),
      max: sorted[sorted.length - 1] ?? 0,
      cpuPercent: ((used.user + used.system) / 1000 / elapsedMs) * 100,
      cpuUs: used.user + used.system,
      rssMb: process.memoryUsage().rss / 1e6,
    });
  }
});
process.send!({ ready: true, port });
