import { mulawToLinear } from "../core/audio/mulaw";
import type { PageMessage, RelayMessage } from "../core/widget-protocol";
import { captureWorklet } from "./capture-worklet";

export type CallState = "connecting" | "listening" | "speaking" | "muted" | "ended";
export type CallEvents = {
  state(s: CallState): void;
  ended(reason: string): void;
  lost(): void;
  heard(ms: number): void;
  /** The call takes typed caller turns (`say`): no recogniser key is set. */
  typed?(): void;
};

const ULAW = Float32Array.from({ length: 256 }, (_, b) => mulawToLinear(b) / 32768);

/**
 * One browser call: microphone → AudioWorklet (16 kHz PCM) → relay socket; the agent's μ-law
 * 8 kHz audio is scheduled gap-free and each mark is answered when the audio before it has
 * played, as Twilio does, so the transcript keeps only what the visitor heard. `clear` (barge-in)
 * stops what is queued and answers the waiting marks.
 */
export async function startWebCall(relayUrl: string, token: string, mic: MediaStream, on: CallEvents) {
  const ctx = new AudioContext();
  await ctx.resume();
  await ctx.audioWorklet.addModule(URL.createObjectURL(new Blob([captureWorklet], { type: "text/javascript" })));
  const capture = new AudioWorkletNode(ctx, "bvrai-capture");
  const source = ctx.createMediaStreamSource(mic);
  source.connect(capture);
  const ws = new WebSocket(`${relayUrl}?token=${encodeURIComponent(token)}`);
  ws.binaryType = "arraybuffer";
  let playhead = 0;
  let heardMs = 0;
  let muted = false;
  let over = false;
  const playing = new Set<AudioBufferSourceNode>();
  let marks: { name: string; at: number }[] = [];
  const send = (msg: PageMessage) => ws.readyState === WebSocket.OPEN && ws.send(JSON.stringify(msg));
  const state = () => (over ? "ended" : muted ? "muted" : playhead > ctx.currentTime ? "speaking" : "listening");
  let shown: CallState = "connecting";
  const show = (s: CallState) => {
    shown = s;
    on.state(s);
  };
  const tick = setInterval(() => {
    const now = ctx.currentTime;
    const due = marks.filter((m) => m.at <= now);
    marks = marks.filter((m) => m.at > now);
    for (const m of due) send({ type: "mark", name: m.name });
    if (shown !== "connecting" && shown !== state()) show(state());
  }, 20);

  capture.port.onmessage = (e: MessageEvent<ArrayBuffer>) => {
    if (ws.readyState === WebSocket.OPEN) ws.send(muted ? new ArrayBuffer(e.data.byteLength) : e.data);
  };
  ws.onopen = () => show("listening");
  ws.onmessage = (e: MessageEvent<ArrayBuffer | string>) => {
    if (typeof e.data !== "string") {
      const bytes = new Uint8Array(e.data);
      const buffer = ctx.createBuffer(1, bytes.length, 8000);
      const pcm = buffer.getChannelData(0);
      for (let i = 0; i < bytes.length; i++) pcm[i] = ULAW[bytes[i]!]!;
      const node = ctx.createBufferSource();
      node.buffer = buffer;
      node.connect(ctx.destination);
      playhead = Math.max(playhead, ctx.currentTime + 0.02);
      node.start(playhead);
      playhead += buffer.duration;
      playing.add(node);
      node.onended = () => {
        if (!playing.delete(node)) return;
        heardMs += buffer.duration * 1000;
        on.heard(Math.round(heardMs));
      };
      return;
    }
    const msg = JSON.parse(e.data) as RelayMessage;
    if (msg.type === "mark") marks.push({ name: msg.name, at: playhead });
    else if (msg.type === "clear") {
      for (const node of playing) node.stop();
      playing.clear();
      playhead = ctx.currentTime;
      for (const m of marks.splice(0)) send({ type: "mark", name: m.name });
    } else if (msg.type === "ended") finish(msg.reason ?? "ended");
    else if (msg.type === "text_turns") on.typed?.();
  };
  ws.onclose = (e) => {
    if (over) return;
    // 1000/1008 are the relay's own decisions; anything else is the network.
    if (e.code === 1000 || e.code === 1008) finish(e.reason || "ended");
    else {
      teardown();
      on.lost();
    }
  };

  function teardown() {
    over = true;
    clearInterval(tick);
    source.disconnect();
    capture.port.onmessage = null;
    void ctx.close();
  }
  function finish(reason: string) {
    if (over) return;
    // Let the goodbye play out before the audio stops.
    const rest = Math.max(0, playhead - ctx.currentTime) * 1000;
    over = true;
    setTimeout(() => {
      teardown();
      on.state("ended");
      on.ended(reason);
    }, rest);
  }
  return {
    setMuted(m: boolean) {
      muted = m;
      show(state());
    },
    /** A typed caller turn (only on a call that announced `typed`). */
    say(text: string) {
      send({ type: "caller_text", text });
    },
    hangUp() {
      send({ type: "hangup" });
      ws.close(1000, "hang up");
      teardown();
      on.state("ended");
      on.ended("caller_hung_up");
    },
  };
}
