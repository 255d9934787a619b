import { createServer } from "node:http";
import { type WebSocket, WebSocketServer } from "ws";
import { decodeMulaw } from "../../core/audio/mulaw";
import { type TimedScript, timedRecogniser, timedScript } from "./deepgram-timed";

// How far behind the audio a word is recognised: streaming ASR emits a word once it has heard it end.
const RECOGNISER_DELAY_MS = 100;

/**
 * Deepgram's live transcription API (`/v1/listen`), scripted: `Authorization: Token <key>`, query
 * options (encoding=mulaw, sample_rate=8000, endpointing), binary audio in; `SpeechStarted` when
 * speech begins, then after `endpointing` ms of silence one `Results` (is_final, speech_final)
 * carrying the next scripted transcript; KeepAlive accepted; CloseStream answered with Metadata.
 * A connection given a timed script (`timed()`) is heard word by word instead (deepgram-timed.ts).
 */
export async function startDeepgramFake(opts: { apiKey: string; transcripts?: string[]; port?: number }) {
  const script = [...(opts.transcripts ?? [])];
  const connections: { query: URLSearchParams }[] = [];
  // Timed scripts for the connections still to come, in the order they open.
  const timedNext: TimedScript[] = [];
  const server = createServer((_req, res) => res.writeHead(404).end());
  const wss = new WebSocketServer({ noServer: true });
  server.on("upgrade", (req, socket, head) => {
    const url = new URL(req.url ?? "/", "http://deepgram");
    if (url.pathname !== "/v1/listen") return socket.end("HTTP/1.1 404 Not Found\r\n\r\n");
    if (req.headers.authorization !== `Token ${opts.apiKey}`) return socket.end("HTTP/1.1 401 Unauthorized\r\n\r\n");
    if (url.searchParams.get("encoding") !== "mulaw" || url.searchParams.get("sample_rate") !== "8000") {
      return socket.end("HTTP/1.1 400 Bad Request\r\n\r\n");
    }
    connections.push({ query: url.searchParams });
    const timed = timedNext.shift();
    const endpointingMs = Number(url.searchParams.get("endpointing") ?? 10);
    const utteranceEndMs = Number(url.searchParams.get("utterance_end_ms") ?? 1000);
    const punctuate = ["smart_format", "punctuate"].some((o) => url.searchParams.get(o) === "true");
    wss.handleUpgrade(req, socket, head, (ws) =>
      listen(ws, endpointingMs, timed && { timed, utteranceEndMs, punctuate }),
    );
  });

  function listen(
    ws: WebSocket,
    endpointingMs: number,
    timing?: { timed: TimedScript; utteranceEndMs: number; punctuate: boolean },
  ) {
    let audioMs = 0;
    let loudRun = 0;
    let speaking = false;
    let speechStart = 0;
    let silentMs = 0;
    const send = (msg: Record<string, unknown>) => ws.readyState === ws.OPEN && ws.send(JSON.stringify(msg));
    const recognise =
      timing &&
      timedRecogniser(timing.timed, send, {
        endpointingMs,
        utteranceEndMs: timing.utteranceEndMs,
        delayMs: RECOGNISER_DELAY_MS,
        punctuate: timing.punctuate,
      });
    ws.on("message", (data, isBinary) => {
      if (!isBinary) {
        const msg = JSON.parse(String(data)) as { type: string };
        if (msg.type === "CloseStream") {
          send({ type: "Metadata", request_id: crypto.randomUUID(), duration: audioMs / 1000, channels: 1 });
          ws.close(1000);
        }
        return;
      }
      const pcm = decodeMulaw(new Uint8Array(data as Buffer));
      let sum = 0;
      for (const s of pcm) sum += s * s;
      const loud = Math.sqrt(sum / pcm.length) > 1000;
      const frameMs = (pcm.length / 8000) * 1000;
      audioMs += frameMs;
      recognise?.(audioMs);
      // SpeechStarted (vad_events=true) comes from the audio's energy, words or not:
      // https://developers.deepgram.com/docs/speech-started
      loudRun = loud ? loudRun + 1 : 0;
      if (!speaking && loudRun >= 3) {
        speaking = true;
        speechStart = audioMs - 3 * frameMs;
        silentMs = 0;
        send({ type: "SpeechStarted", channel: [0], timestamp: speechStart / 1000 });
      } else if (speaking) {
        silentMs = loud ? 0 : silentMs + frameMs;
        if (silentMs >= endpointingMs) {
          speaking = false;
          if (recognise) return;
          const transcript = script.shift() ?? "";
          send({
            type: "Results",
            channel_index: [0, 1],
            duration: (audioMs - speechStart) / 1000,
            start: speechStart / 1000,
            is_final: true,
            speech_final: true,
            channel: {
              alternatives: [
                {
                  transcript,
                  confidence: 0.98,
                  words: transcript
                    .split(" ")
                    .filter(Boolean)
                    .map((word) => ({ word })),
                },
              ],
            },
          });
        }
      }
    });
  }

  await new Promise<void>((r) => server.listen(opts.port ?? 0, "127.0.0.1", r));
  const port = (server.address() as { port: number }).port;
  return {
    url: `ws://127.0.0.1:${port}`,
    connections,
    /** The next connection hears the words of this script at their times in its audio (added to as it runs). */
    timed: () => {
      const script = timedScript();
      timedNext.push(script);
      return script;
    },
    /** What the next utterances will be heard as. */
    script: (...transcripts: string[]) => script.push(...transcripts),
    async stop() {
      for (const ws of wss.clients) ws.terminate();
      await new Promise((r) => server.close(r));
    },
  };
}
