import twilio from "twilio";
import { WebSocket } from "ws";
import { encodeMulaw } from "../../core/audio/mulaw";
import { twilioStreamUrl } from "./twilio-caller";
import { clock, createPlayer } from "./twilio-player";

const hex = (n: number) =>
  [...crypto.getRandomValues(new Uint8Array(n))].map((b) => b.toString(16).padStart(2, "0")).join("");

/**
 * Twilio's side of one bidirectional Media Stream, driven step by step: real-time 20 ms μ-law
 * frames (tone for "speech", 0xff for silence), marks echoed when "played" (automatically, or
 * only those `playMark` allows), and a log of everything the relay sent back. With `player`, the
 * relay's audio plays in real time instead and marks come back as playback reaches them (twilio-player.ts).
 */
export async function openMediaStream(
  url: string,
  customParameters: Record<string, string>,
  authToken: string,
  opts: { callSid?: string; player?: boolean } = {},
) {
  const streamSid = `MZ${hex(16)}`;
  const callSid = opts.callSid ?? `CA${hex(16)}`;
  // As Twilio opens a <Stream url>: without its query string, the handshake signed (see twilio-caller).
  const streamUrl = twilioStreamUrl(url);
  const ws = new WebSocket(streamUrl, {
    headers: { "x-twilio-signature": twilio.getExpectedTwilioSignature(authToken, streamUrl, {}) },
  });
  const received: { event: string; name?: string; at: number }[] = [];
  let seq = 0;
  let autoMarks = true;
  const held: string[] = [];
  const played: Buffer[] = [];
  let closeCode: number | null = null;
  ws.on("close", (code) => {
    closeCode = code;
  });
  const send = (msg: Record<string, unknown>) =>
    ws.readyState === ws.OPEN && ws.send(JSON.stringify({ ...msg, sequenceNumber: String(++seq) }));
  const echo = (name: string) => send({ event: "mark", streamSid, mark: { name } });
  const player = opts.player ? createPlayer(echo) : undefined;
  ws.on("message", (raw) => {
    const msg = JSON.parse(String(raw)) as { event: string; mark?: { name: string }; media?: { payload: string } };
    if (msg.event === "media") played.push(Buffer.from(msg.media!.payload, "base64"));
    received.push({ event: msg.event, name: msg.mark?.name, at: Date.now() });
    if (player) {
      if (msg.event === "media") player.media(Buffer.from(msg.media!.payload, "base64"));
      if (msg.event === "mark") player.mark(msg.mark!.name);
      if (msg.event === "clear") player.clear();
      return;
    }
    // Twilio drops the queued audio and answers every mark still waiting, as Twilio does.
    if (msg.event === "clear") for (const name of held.splice(0)) echo(name);
    if (msg.event === "mark") autoMarks ? echo(msg.mark!.name) : held.push(msg.mark!.name);
  });
  let worker: string | undefined;
  ws.once("upgrade", (res) => {
    worker = res.headers["x-relay-worker"] as string | undefined;
  });
  await new Promise<void>((resolve, reject) => {
    ws.once("open", () => resolve());
    ws.once("error", reject);
  });
  ws.send(JSON.stringify({ event: "connected", protocol: "Call", version: "1.0.0" }));
  const startedAt = clock();
  send({
    event: "start",
    streamSid,
    start: {
      streamSid,
      callSid,
      accountSid: `AC${hex(16)}`,
      tracks: ["inbound"],
      customParameters,
      mediaFormat: { encoding: "audio/x-mulaw", sampleRate: 8000, channels: 1 },
    },
  });

  let chunk = 0;
  const began = Date.now();
  // Every 20 ms of the caller's audio is one frame, as Twilio sends it: a test process slowed by
  // load sends the frames it owes late, never fewer (a recogniser's endpointing counts audio, not time).
  const frames = async (ms: number, frame: Uint8Array) => {
    const payload = Buffer.from(frame).toString("base64");
    const start = Date.now();
    for (let i = 0; i < Math.ceil(ms / 20) && ws.readyState === ws.OPEN; i++) {
      send({
        event: "media",
        streamSid,
        media: { track: "inbound", chunk: String(++chunk), timestamp: String(Date.now() - began), payload },
      });
      const due = start + (i + 1) * 20 - Date.now();
      if (due > 0) await new Promise((r) => setTimeout(r, due));
    }
  };
  const tone = encodeMulaw(
    Int16Array.from({ length: 160 }, (_, i) => Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / 8000))),
  );
  const silence = new Uint8Array(160).fill(0xff);

  return {
    received,
    /** When `start` was sent (the player's clock). */
    startedAt,
    /** The real-time playback, with `player`. */
    player,
    /**
     * The caller's audio generated frame by frame as it is sent, in real time: `next(i)` gives the
     * i-th 20 ms frame (sent at its time) or undefined to stop.
     */
    async stream(next: (i: number, at: number) => Uint8Array | undefined) {
      const start = Date.now();
      for (let i = 0; ws.readyState === ws.OPEN; i++) {
        const frame = next(i, clock());
        if (!frame) return;
        const payload = Buffer.from(frame).toString("base64");
        send({
          event: "media",
          streamSid,
          media: { track: "inbound", chunk: String(++chunk), timestamp: String(Date.now() - began), payload },
        });
        const due = start + (i + 1) * 20 - Date.now();
        if (due > 0) await new Promise((r) => setTimeout(r, due));
      }
    },
    /** Which of the relay's workers took the stream (its X-Relay-Worker header), if it runs several. */
    worker: () => (worker ? Number(worker) : undefined),
    marks: () => received.filter((m) => m.event === "mark").map((m) => m.name!),
    speak: (ms: number) => frames(ms, tone),
    silence: (ms: number) => frames(ms, silence),
    /** Stop echoing marks by themselves; `play(name)` echoes one the caller has now heard. */
    holdMarks: () => {
      autoMarks = false;
    },
    play: (name: string) => {
      const i = held.indexOf(name);
      if (i >= 0) held.splice(i, 1);
      echo(name);
    },
    held: () => [...held],
    /** Every byte of μ-law audio the relay has sent, in order. */
    audio: () => new Uint8Array(Buffer.concat(played)),
    /** The close code once the relay (or we) closed the stream; null while open. */
    closed: () => closeCode,
    async waitFor(what: string, check: () => boolean, timeoutMs = 10_000) {
      const end = Date.now() + timeoutMs;
      while (!check()) {
        if (Date.now() > end)
          throw new Error(
            `timed out waiting for ${what}; received ${JSON.stringify(received.filter((r) => r.event !== "media").map((r) => r.name ?? r.event))}`,
          );
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    async hangUp() {
      player?.stop();
      send({ event: "stop", streamSid, stop: { callSid } });
      await new Promise((r) => setTimeout(r, 100));
      ws.close(1000);
    },
  };
}
