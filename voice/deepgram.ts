import { WebSocket } from "ws";
import { parseJsonMessage } from "../core/json";
import { PROVIDER_SOCKET } from "./provider-socket";
import type { SttFactory } from "./types";

/**
 * Deepgram live transcription (`wss://api.deepgram.com/v1/listen`): μ-law 8 kHz in as binary
 * frames; `Results` (is_final, speech_final) and `SpeechStarted` / `UtteranceEnd` events out.
 * KeepAlive every 4 s stops the 10 s idle timeout while the caller is silent and we are talking.
 */
export function deepgramStt(opts: {
  apiKey: string;
  url?: string;
  model?: string;
  endpointingMs?: number;
}): SttFactory {
  return async (events, { language }) => {
    const url = new URL(opts.url ?? "wss://api.deepgram.com/v1/listen");
    const params = {
      model: opts.model ?? "nova-3",
      language,
      encoding: "mulaw",
      sample_rate: "8000",
      channels: "1",
      interim_results: "true",
      endpointing: String(opts.endpointingMs ?? 300),
      utterance_end_ms: "1000",
      vad_events: "true",
      smart_format: "true",
    };
    for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
    const ws = new WebSocket(url, { headers: { Authorization: `Token ${opts.apiKey}` }, ...PROVIDER_SOCKET });
    await new Promise<void>((resolve, reject) => {
      ws.once("open", () => resolve());
      ws.once("error", reject);
      ws.once("unexpected-response", (_req, res) =>
        reject(new Error(`deepgram refused the connection: ${res.statusCode}`)),
      );
    });
    let finals: string[] = [];
    ws.on("message", (raw, isBinary) => {
      if (isBinary) return;
      const msg = parseJsonMessage(raw) as
        | {
            type: string;
            is_final?: boolean;
            speech_final?: boolean;
            channel?: { alternatives?: { transcript: string }[] };
          }
        | undefined;
      if (!msg) return;
      if (msg.type === "SpeechStarted") return events.onSpeechStarted();
      if (msg.type === "UtteranceEnd") {
        if (finals.length) events.onTranscript({ text: finals.join(" "), final: true, endOfTurn: true });
        finals = [];
        return;
      }
      if (msg.type !== "Results") return;
      const text = msg.channel?.alternatives?.[0]?.transcript?.trim() ?? "";
      if (msg.is_final && text) finals.push(text);
      if (msg.speech_final && finals.length) {
        events.onTranscript({ text: finals.join(" "), final: true, endOfTurn: true });
        finals = [];
      } else if (text) events.onTranscript({ text, final: Boolean(msg.is_final), endOfTurn: false });
    });
    ws.on("error", (err) => events.onError(err));
    ws.on(
      "close",
      (code) => code !== 1000 && code !== 1005 && events.onError(new Error(`deepgram closed the stream: ${code}`)),
    );
    const keepAlive = setInterval(
      () => ws.readyState === ws.OPEN && ws.send(JSON.stringify({ type: "KeepAlive" })),
      4000,
    );
    return {
      send: (frame) => ws.readyState === ws.OPEN && ws.send(frame),
      async close() {
        clearInterval(keepAlive);
        if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ type: "CloseStream" }));
        await new Promise<void>((resolve) => {
          if (ws.readyState === ws.CLOSED) return resolve();
          const t = setTimeout(() => {
            ws.terminate();
            resolve();
          }, 1000);
          ws.once("close", () => {
            clearTimeout(t);
            resolve();
          });
        });
      },
    };
  };
}
