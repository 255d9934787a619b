import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { createServer } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type WebSocket, WebSocketServer } from "ws";
import { decodeMulaw, encodeMulaw } from "../../core/audio/mulaw";

/** A throwaway certificate for 127.0.0.1, so the fake speaks TLS like the real endpoint. */
function selfSigned() {
  const dir = mkdtempSync(join(tmpdir(), "bvrai-tls-"));
  execFileSync(
    "openssl",
    [
      "req",
      "-x509",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:prime256v1",
      "-nodes",
      "-days",
      "1",
      "-subj",
      "/CN=127.0.0.1",
      "-addext",
      "subjectAltName=IP:127.0.0.1",
      "-keyout",
      join(dir, "key.pem"),
      "-out",
      join(dir, "cert.pem"),
    ],
    { stdio: "ignore" },
  );
  return { key: readFileSync(join(dir, "key.pem"), "utf8"), cert: readFileSync(join(dir, "cert.pem"), "utf8") };
}

/**
 * OpenAI's Realtime API over a TLS WebSocket (`wss://…/v1/realtime?model=…`, Bearer auth),
 * scripted: `session.update` must ask for `audio/pcmu` both ways; appended caller audio runs through
 * a server VAD (`speech_started`, then after 300 ms of silence `speech_stopped`, the scripted
 * transcription and an automatic response); responses stream `response.output_audio.delta` in
 * 100 ms chunks, then the transcript and `response.done`; `response.cancel` stops them;
 * `conversation.item.truncate` is recorded.
 *
 * One response at a time, as the API has it: a `response.create` while one is in progress is
 * refused with `conversation_already_has_active_response` (server_vad's `create_response` "may
 * fail to create a response if the model is already responding",
 * https://platform.openai.com/docs/api-reference/realtime-client-events/session/update), and a
 * cancel with nothing in progress gets an error and changes nothing
 * (https://platform.openai.com/docs/api-reference/realtime-client-events/response/cancel). The
 * server VAD interrupts the response in progress when speech starts (`interrupt_response`, on by
 * default). A response's `metadata` comes back in `response.created` and `response.done`
 * (https://platform.openai.com/docs/api-reference/realtime-server-events/response/created).
 */
export type RealtimeReply = string | { text: string; tool: { name: string; arguments: Record<string, unknown> } };

export async function startRealtimeFake(opts: {
  apiKey: string;
  transcripts: string[];
  reply: (heard: string) => RealtimeReply;
  /** What the model says when asked to go on (after a tool's output), given the caller's last words: "Done." unless set. */
  goOn?: (heard: string) => RealtimeReply;
}) {
  const tls = selfSigned();
  const truncates: { item_id: string; audio_end_ms: number }[] = [];
  const sessions: Record<string, unknown>[] = [];
  const server = createServer({ key: tls.key, cert: tls.cert }, (_req, res) => res.writeHead(404).end());
  const wss = new WebSocketServer({ noServer: true });
  server.on("upgrade", (req, socket, head) => {
    const url = new URL(req.url ?? "/", "https://realtime");
    if (url.pathname !== "/v1/realtime" || !url.searchParams.get("model"))
      return socket.end("HTTP/1.1 404 Not Found\r\n\r\n");
    if (req.headers.authorization !== `Bearer ${opts.apiKey}`) return socket.end("HTTP/1.1 401 Unauthorized\r\n\r\n");
    wss.handleUpgrade(req, socket, head, (ws) => session(ws));
  });

  function session(ws: WebSocket) {
    let n = 0;
    const id = (p: string) => `${p}_${++n}`;
    const send = (e: Record<string, unknown>) =>
      ws.readyState === ws.OPEN && ws.send(JSON.stringify({ event_id: id("event"), ...e }));
    const cancelled = new Set<string>();
    /** The response in progress, if any. */
    let active: string | null = null;
    let speaking = false;
    let loudRun = 0;
    let silentMs = 0;
    let userItem = "";
    let lastHeard = "";
    send({ type: "session.created", session: { type: "realtime", id: id("sess") } });

    const error = (code: string, message: string) =>
      send({ type: "error", error: { type: "invalid_request_error", code, message } });
    async function respond(scripted: RealtimeReply, metadata: Record<string, string> | null = null) {
      if (active)
        return error(
          "conversation_already_has_active_response",
          `Conversation already has an active response in progress: ${active}. Wait until the response is finished before creating a new one.`,
        );
      const text = typeof scripted === "string" ? scripted : scripted.text;
      const response = id("resp");
      const item = id("item");
      active = response;
      const done = (status: string) => {
        active = null;
        send({
          type: "response.done",
          response: {
            id: response,
            status,
            metadata,
            ...(status === "completed" ? { output: [{ id: item, type: "message", role: "assistant" }] } : {}),
          },
        });
      };
      send({ type: "response.created", response: { id: response, status: "in_progress", metadata } });
      const wordList = text.split(/\s+/).filter(Boolean);
      const words = wordList.length;
      const audio = encodeMulaw(
        Int16Array.from({ length: words * 2400 }, (_, i) =>
          Math.round(6000 * Math.sin((2 * Math.PI * 330 * i) / 8000)),
        ),
      );
      let said = 0;
      for (let i = 0; i < audio.length; i += 800) {
        // The transcript streams alongside the audio, a word at a time as its audio starts.
        const upTo = Math.min(words, Math.floor(i / 2400) + 1);
        if (upTo > said) {
          send({
            type: "response.output_audio_transcript.delta",
            response_id: response,
            item_id: item,
            delta: `${said ? " " : ""}${wordList.slice(said, upTo).join(" ")}`,
          });
          said = upTo;
        }
        if (cancelled.has(response) || ws.readyState !== ws.OPEN) return done("cancelled");
        send({
          type: "response.output_audio.delta",
          response_id: response,
          item_id: item,
          output_index: 0,
          content_index: 0,
          delta: Buffer.from(audio.subarray(i, i + 800)).toString("base64"),
        });
        await new Promise((r) => setTimeout(r, 5));
      }
      send({ type: "response.output_audio.done", response_id: response, item_id: item });
      send({ type: "response.output_audio_transcript.done", response_id: response, item_id: item, transcript: text });
      if (typeof scripted !== "string") {
        // The model's function call comes after its words, in the same response.
        const callId = id("call");
        send({
          type: "response.output_item.added",
          response_id: response,
          item: { id: id("item"), type: "function_call", call_id: callId, name: scripted.tool.name },
        });
        send({
          type: "response.function_call_arguments.done",
          response_id: response,
          call_id: callId,
          name: scripted.tool.name,
          arguments: JSON.stringify(scripted.tool.arguments),
        });
      }
      done("completed");
    }

    ws.on("message", (raw) => {
      const e = JSON.parse(String(raw)) as {
        type: string;
        session?: Record<string, unknown>;
        response?: { instructions?: string; metadata?: Record<string, string> };
        response_id?: string;
        audio?: string;
        item_id?: string;
        audio_end_ms?: number;
      };
      if (e.type === "session.update") {
        const audio = e.session?.audio as
          | { input?: { format?: { type?: string } }; output?: { format?: { type?: string } } }
          | undefined;
        if (audio?.input?.format?.type !== "audio/pcmu" || audio?.output?.format?.type !== "audio/pcmu") {
          return send({
            type: "error",
            error: { type: "invalid_request_error", message: "this fake expects audio/pcmu in and out" },
          });
        }
        sessions.push(e.session!);
        return send({ type: "session.updated", session: e.session });
      }
      if (e.type === "response.create") {
        const say = /^Say exactly this and nothing else: (.*)$/s.exec(e.response?.instructions ?? "");
        return void respond(say ? say[1]! : (opts.goOn?.(lastHeard) ?? "Done."), e.response?.metadata ?? null);
      }
      if (e.type === "response.cancel") {
        const target = e.response_id ?? active;
        if (!target || target !== active)
          return error("response_cancel_not_active", "Cancellation failed: no active response found");
        cancelled.add(target);
        return;
      }
      if (e.type === "conversation.item.truncate") {
        truncates.push({ item_id: e.item_id!, audio_end_ms: e.audio_end_ms! });
        return send({
          type: "conversation.item.truncated",
          item_id: e.item_id,
          content_index: 0,
          audio_end_ms: e.audio_end_ms,
        });
      }
      if (e.type !== "input_audio_buffer.append") return;
      const pcm = decodeMulaw(new Uint8Array(Buffer.from(e.audio ?? "", "base64")));
      let sum = 0;
      for (const s of pcm) sum += s * s;
      const loud = Math.sqrt(sum / Math.max(1, pcm.length)) > 1000;
      loudRun = loud ? loudRun + 1 : 0;
      if (!speaking && loudRun >= 3) {
        speaking = true;
        silentMs = 0;
        userItem = id("item");
        if (active) cancelled.add(active); // interrupt_response
        send({ type: "input_audio_buffer.speech_started", audio_start_ms: 0, item_id: userItem });
      } else if (speaking) {
        silentMs = loud ? 0 : silentMs + pcm.length / 8;
        if (silentMs >= 300) {
          speaking = false;
          const transcript = opts.transcripts.shift() ?? "";
          lastHeard = transcript;
          send({ type: "input_audio_buffer.speech_stopped", audio_end_ms: 0, item_id: userItem });
          send({ type: "input_audio_buffer.committed", item_id: userItem });
          send({
            type: "conversation.item.input_audio_transcription.completed",
            item_id: userItem,
            content_index: 0,
            transcript,
          });
          void respond(opts.reply(transcript));
        }
      }
    });
  }

  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `wss://127.0.0.1:${(server.address() as { port: number }).port}/v1/realtime`,
    ca: tls.cert,
    truncates,
    sessions,
    async stop() {
      for (const ws of wss.clients) ws.terminate();
      await new Promise((r) => server.close(r));
    },
  };
}
