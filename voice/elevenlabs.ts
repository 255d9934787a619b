import { WebSocket } from "ws";
import { decodeBase64 } from "../core/bytes";
import { parseJsonMessage } from "../core/json";
import { PROVIDER_SOCKET } from "./provider-socket";
import type { TextToSpeech } from "./types";

/**
 * ElevenLabs input streaming (`/v1/text-to-speech/{voice}/stream-input`), asking for `ulaw_8000`
 * so audio goes to Twilio untouched. Text goes in as it streams, each sentence flushed; `{text:""}`
 * ends the input; audio chunks (base64) come back until `isFinal`.
 */
export function elevenLabsTts(opts: { apiKey: string; url?: string; model?: string }): TextToSpeech {
  return {
    async *synthesize(text, { voice, signal }) {
      const url = new URL(
        `${opts.url ?? "wss://api.elevenlabs.io"}/v1/text-to-speech/${encodeURIComponent(voice)}/stream-input`,
      );
      url.searchParams.set("model_id", opts.model ?? "eleven_flash_v2_5");
      url.searchParams.set("output_format", "ulaw_8000");
      const ws = new WebSocket(url, { headers: { "xi-api-key": opts.apiKey }, ...PROVIDER_SOCKET });
      const chunks: Uint8Array[] = [];
      let done = false;
      let failure: Error | undefined;
      let wake: () => void = () => {};
      const notify = () => wake();
      ws.on("message", (raw) => {
        const msg = parseJsonMessage(raw) as
          | { audio?: string | null; isFinal?: boolean | null; error?: string }
          | undefined;
        if (!msg) return;
        if (msg.error) failure = new Error(`elevenlabs: ${msg.error}`);
        if (msg.audio) chunks.push(decodeBase64(msg.audio));
        if (msg.isFinal) {
          final = true;
          done = true;
        }
        notify();
      });
      let final = false;
      ws.on("close", (code) => {
        // Closed before its last chunk (a reset, a crash): the sentence was cut, not finished.
        if (!final && !signal.aborted) failure ??= new Error(`elevenlabs closed the stream before the end (${code})`);
        done = true;
        notify();
      });
      ws.on("error", (err) => {
        failure = err;
        notify();
      });
      const abort = () => ws.terminate();
      signal.addEventListener("abort", abort);
      try {
        await new Promise<void>((resolve, reject) => {
          ws.once("open", () => resolve());
          ws.once("error", reject);
        });
        ws.send(JSON.stringify({ text: " ", voice_settings: { stability: 0.5, similarity_boost: 0.8 } }));
        const pump = (async () => {
          for await (const piece of text) {
            if (signal.aborted || ws.readyState !== ws.OPEN) return;
            ws.send(JSON.stringify({ text: `${piece} `, flush: true }));
          }
          if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ text: "" }));
        })();
        pump.catch((err) => {
          failure = err as Error;
          notify();
        });
        while (!signal.aborted) {
          if (failure) throw failure;
          const chunk = chunks.shift();
          if (chunk) {
            yield chunk;
            continue;
          }
          if (done) break;
          await new Promise<void>((resolve) => (wake = resolve));
        }
      } finally {
        signal.removeEventListener("abort", abort);
        if (ws.readyState === ws.OPEN || ws.readyState === ws.CONNECTING) ws.terminate();
      }
    },
  };
}
