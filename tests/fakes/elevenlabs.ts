import { createServer } from "node:http";
import { WebSocketServer } from "ws";
import { encodeMulaw } from "../../core/audio/mulaw";

/**
 * ElevenLabs' text-to-speech input streaming (`/v1/text-to-speech/{voice_id}/stream-input`):
 * `xi-api-key` header, `output_format=ulaw_8000`; a first message opens the stream, text arrives in
 * pieces, `flush` synthesises what is buffered, `{"text": ""}` ends it. Audio goes back as base64
 * chunks, then `{"isFinal": true}`. Speech is 300 ms of tone per word, so timing is predictable.
 * `firstByteMs`: each flushed piece's audio starts that late, as the model's time to first byte
 * (Flash v2.5: "~75ms", https://elevenlabs.io/docs/overview/models#flash-v25; what else adds to it:
 * https://elevenlabs.io/docs/best-practices/latency-optimization). Pieces are answered in order.
 */
export async function startElevenLabsFake(opts: { apiKey: string; port?: number; firstByteMs?: number }) {
  const spoken: { voice: string; text: string }[] = [];
  const server = createServer((_req, res) => res.writeHead(404).end());
  const wss = new WebSocketServer({ noServer: true });
  server.on("upgrade", (req, socket, head) => {
    const url = new URL(req.url ?? "/", "http://elevenlabs");
    const m = /^\/v1\/text-to-speech\/([^/]+)\/stream-input$/.exec(url.pathname);
    if (!m) return socket.end("HTTP/1.1 404 Not Found\r\n\r\n");
    if (req.headers["xi-api-key"] !== opts.apiKey) return socket.end("HTTP/1.1 401 Unauthorized\r\n\r\n");
    if (url.searchParams.get("output_format") !== "ulaw_8000") return socket.end("HTTP/1.1 400 Bad Request\r\n\r\n");
    const voice = decodeURIComponent(m[1]!);
    wss.handleUpgrade(req, socket, head, (ws) => {
      let buffer = "";
      let opened = false;
      // With no first-byte time everything is answered at once, as before; with one, in order.
      let answered: Promise<unknown> = Promise.resolve();
      const inOrder = (send: () => void, delayMs = 0) => {
        if (!opts.firstByteMs) return send();
        answered = answered.then(async () => {
          if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
          if (ws.readyState === ws.OPEN) send();
        });
      };
      const synthesize = () => {
        const text = buffer.trim();
        buffer = "";
        if (!text) return;
        spoken.push({ voice, text });
        inOrder(() => sendAudio(text), opts.firstByteMs);
      };
      const sendAudio = (text: string) => {
        const words = text.split(/\s+/).length;
        const pcm = Int16Array.from({ length: words * 2400 }, (_, i) =>
          Math.round(6000 * Math.sin((2 * Math.PI * 220 * i) / 8000)),
        );
        const audio = encodeMulaw(pcm);
        for (let i = 0; i < audio.length; i += 800) {
          ws.send(
            JSON.stringify({
              audio: Buffer.from(audio.subarray(i, i + 800)).toString("base64"),
              isFinal: null,
              normalizedAlignment: null,
              alignment: null,
            }),
          );
        }
      };
      ws.on("message", (raw) => {
        const msg = JSON.parse(String(raw)) as { text?: string; flush?: boolean };
        if (!opened) {
          opened = true;
          if (msg.text !== " ") ws.close(1008, "the first message must open the stream with a single space");
          return;
        }
        if (msg.text === "") {
          synthesize();
          return inOrder(() => {
            ws.send(JSON.stringify({ isFinal: true }));
            ws.close(1000);
          });
        }
        buffer += msg.text ?? "";
        if (msg.flush) synthesize();
      });
    });
  });
  await new Promise<void>((r) => server.listen(opts.port ?? 0, "127.0.0.1", r));
  const port = (server.address() as { port: number }).port;
  return {
    url: `ws://127.0.0.1:${port}`,
    spoken,
    async stop() {
      for (const ws of wss.clients) ws.terminate();
      await new Promise((r) => server.close(r));
    },
  };
}
