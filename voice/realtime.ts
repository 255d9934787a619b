import { WebSocket } from "ws";
import { dtmfFrames } from "../core/audio/dtmf";
import { parseJsonMessage } from "../core/json";
import { fromBase64, toBase64 } from "./base64";
import type { CallEffect } from "./call-state";
import { startCallState } from "./call-state-clock";
import type { ConversationDeps } from "./conversation";
import { MAX_TOOL_ROUNDS } from "./conversation";
import { handOver } from "./hand-over";
import { PROVIDER_SOCKET } from "./provider-socket";
import { runTool, toolSpecs } from "./tools";
import { createVad, vadForSensitivity } from "./vad";

const FRAME = 160;
const msOf = (bytes: number) => Math.round(bytes / 8); // μ-law 8 kHz: 8 bytes a millisecond

export type RealtimeOptions = { apiKey: string; url?: string; model?: string; ca?: string };
/** An answer: the call state holds its words and how many milliseconds of it were sent and heard. */
type Item = {
  id: string;
  response: string;
  seq: number;
  startedAt: number;
  finished: boolean;
  /** Cut off before its end was heard. */
  cut?: boolean;
};
type Response = { id?: string; status?: string; metadata?: Record<string, string> | null };
const sayExactly = (line: string) => `Say exactly this and nothing else: ${line}`;

/**
 * Speech-to-speech through the OpenAI Realtime API: caller μ-law goes in as-is (`audio/pcmu`) and
 * the model's μ-law comes out as-is; its server VAD takes turns. A mark after every audio delta
 * says how many milliseconds of each answer the caller heard, so on barge-in the relay clears
 * Twilio, cancels the response and truncates the item to exactly what was heard. The call-limits
 * rules end it as they end a cascade call: the model itself says the last line, in its own voice.
 */
export async function startRealtimeConversation(deps: ConversationDeps, opts: RealtimeOptions) {
  const { agent, out } = deps;
  const url = new URL(opts.url ?? "wss://api.openai.com/v1/realtime");
  url.searchParams.set("model", opts.model ?? "gpt-realtime");
  const ws = new WebSocket(url, {
    headers: { Authorization: `Bearer ${opts.apiKey}` },
    ...PROVIDER_SOCKET,
    ...(opts.ca ? { ca: opts.ca } : {}),
  });
  await new Promise<void>((resolve, reject) => {
    ws.once("open", () => resolve());
    ws.once("error", reject);
  });
  const send = (event: Record<string, unknown>) => ws.readyState === ws.OPEN && ws.send(JSON.stringify(event));
  const items = new Map<string, Item>();
  let seq = 0;
  /** Audio of the newest answer short of a whole frame. */
  let pending = new Uint8Array(0);
  let speechStoppedAt: number | null = null;
  // The call state's writes (transcript, hand-over) under way: a mark or close waits for them.
  const writes: Promise<unknown>[] = [];
  const write = (p: Promise<unknown>) =>
    writes.push(p.catch((err) => deps.log({ level: "error", msg: "call write failed", err: (err as Error).message })));
  const flush = async () => {
    while (writes.length) await Promise.all(writes.splice(0));
  };
  /** The response the model is producing; it takes one at a time, so a new one waits for its end. */
  let active: string | null = null;
  /** Each response's function calls, run as they come: the model goes on once all are answered. */
  const toolRuns = new Map<string, Promise<boolean>[]>();
  /** Responses with function calls since the caller last spoke: as in the cascade, at most three a reply. */
  let toolRounds = 0;
  /** The call's last line, asked of the model as soon as no other response is in the way. */
  let lastLine: { text: string; requested: boolean; responseId?: string } | null = null;
  // The caller's voice, for the silence rule only: the model's server VAD still takes the turns.
  const vad = createVad(vadForSensitivity(agent.interruptionSensitivity));

  /** Asks the model for a response, which the agent now owes (the silence clock waits for it). */
  const respond = (response: Record<string, unknown> = {}) => {
    limits.send({ type: "agent_replying" });
    send({ type: "response.create", response });
  };
  const requestLastLine = () => {
    if (!lastLine || lastLine.requested || active) return;
    lastLine.requested = true;
    respond({ instructions: sayExactly(lastLine.text), metadata: { bvrai: "last_line" } });
  };
  const limits = startCallState(deps, (effect) => {
    if (effect.kind === "line_done") return lineDone(effect);
    if (effect.kind === "hand_over") return write(handOver(deps, limits, effect.action));
    if (effect.kind === "hang_up") return deps.hangUp(effect.reason);
    if (effect.kind === "reprompt") return active ? undefined : respond({ instructions: sayExactly(effect.line) });
    lastLine = { text: effect.line, requested: false };
    void cutOff().then(requestLastLine);
  });

  send({
    type: "session.update",
    session: {
      type: "realtime",
      instructions: agent.systemPrompt,
      audio: {
        input: {
          format: { type: "audio/pcmu" },
          turn_detection: { type: "server_vad", silence_duration_ms: 300 },
          transcription: { model: "gpt-4o-mini-transcribe", language: agent.language.slice(0, 2) },
        },
        output: { format: { type: "audio/pcmu" }, voice: agent.voice },
      },
      tools: toolSpecs(agent.tools).map((t) => ({ type: "function", ...t })),
    },
  });

  /** An answer is over: the words the caller heard (as many as the audio heard) go to the transcript. */
  function lineDone({ id, text, interrupted }: Extract<CallEffect, { kind: "line_done" }>) {
    const item = items.get(id);
    if (!item) return;
    item.finished = true;
    item.cut = interrupted;
    if (text)
      write(
        deps.recordTurn({
          seq: item.seq,
          speaker: "agent",
          text,
          offsetMs: item.startedAt,
          endOffsetMs: deps.now(),
          interrupted,
        }),
      );
  }

  /** Stops the answers playing: Twilio drops what it queued, the model keeps only what was heard (truncate). */
  const cutOff = async () => {
    if (active) send({ type: "response.cancel", response_id: active });
    const cut = limits.lines;
    if (!cut.length) return;
    out.clear();
    for (const line of cut)
      send({ type: "conversation.item.truncate", item_id: line.id, content_index: 0, audio_end_ms: line.heard });
    deps.log({ msg: "cut off", items: cut.map((l) => [l.id, l.heard]), ending: limits.ending });
    limits.send({ type: "cleared" });
    await flush();
  };
  const bargeIn = () => (limits.bargeIn ? cutOff() : undefined);
  /** While the call ends, only the answer already playing and the last line are played. */
  const dropped = (e: Record<string, unknown>) =>
    Boolean(limits.ending) &&
    !items.has(String(e.item_id)) &&
    (!lastLine?.responseId || e.response_id !== lastLine.responseId);

  /** An answer's state, created by whichever of its events (audio or transcript) comes first. */
  function itemFor(id: string, response: unknown) {
    let item = items.get(id);
    if (!item) {
      item = {
        id,
        response: String(response),
        seq: seq++,
        startedAt: deps.now(),
        finished: false,
      };
      items.set(id, item);
      pending = new Uint8Array(0);
      limits.send({ type: "line_started", id });
    }
    return item;
  }

  // An error is followed by `close`, which ends the call; a malformed event is skipped, never thrown.
  ws.on("error", (err) => deps.log({ level: "error", msg: "realtime connection error", err: err.message }));
  ws.on("message", (raw) => {
    const e = parseJsonMessage(raw) as (Record<string, unknown> & { type: string }) | undefined;
    if (typeof e?.type !== "string") return deps.log({ level: "warn", msg: "realtime event is not JSON" });
    void handle(e).catch((err) => deps.log({ level: "error", msg: "realtime event failed", err: String(err) }));
  });

  async function handle(e: Record<string, unknown> & { type: string }) {
    if (e.type === "input_audio_buffer.speech_started") {
      limits.send({ type: "caller_voice" });
      return bargeIn();
    }
    if (e.type === "input_audio_buffer.speech_stopped") {
      speechStoppedAt = deps.now();
      // The server VAD answers the turn by itself (turn_detection.create_response defaults to true).
      limits.send({ type: "caller_voice" });
      if (!limits.ending) limits.send({ type: "agent_replying" });
      return;
    }
    if (e.type === "response.created") {
      const r = (e.response ?? {}) as Response;
      active = r.id ?? null;
      if (lastLine && r.metadata?.bvrai === "last_line") lastLine.responseId = r.id;
      // An answer the server started while the call ends (its VAD heard the caller) is not played.
      else if (limits.ending) send({ type: "response.cancel", response_id: r.id });
      return;
    }
    if (e.type === "response.done") {
      const r = (e.response ?? {}) as Response;
      if (r.id === active) active = null;
      // An answer stopped before any of its audio came (its words began first) will never be heard.
      for (const item of items.values())
        if (item.response === r.id && !item.finished && !limits.line(item.id)?.sent)
          limits.send({ type: "line_dropped", id: item.id });
      await flush();
      const runs = toolRuns.get(String(r.id));
      toolRuns.delete(String(r.id));
      // All its calls answered and none ends or hands over the call: the model goes on, for up to three rounds.
      if (runs && (await Promise.all(runs)).every(Boolean) && ++toolRounds < MAX_TOOL_ROUNDS && !limits.ending)
        return respond();
      requestLastLine();
      limits.send({ type: "reply_done" }); // with nothing to hear (a tool call), the agent is quiet
      return;
    }
    if (e.type === "conversation.item.input_audio_transcription.completed") {
      const text = String(e.transcript ?? "").trim();
      toolRounds = 0;
      limits.send({ type: "caller_said", text });
      if (text)
        await deps.recordTurn({
          seq: seq++,
          speaker: "caller",
          text,
          offsetMs: speechStoppedAt ?? deps.now(),
          endOffsetMs: speechStoppedAt ?? deps.now(),
          interrupted: false,
        });
      return;
    }
    if (e.type === "response.output_audio.delta") {
      if (dropped(e)) return;
      const id = String(e.item_id);
      const item = itemFor(id, e.response_id);
      if (item.finished) return; // cancelled: late audio is dropped
      const chunk = fromBase64(String(e.delta));
      const joined = new Uint8Array(pending.length + chunk.length);
      joined.set(pending);
      joined.set(chunk, pending.length);
      let at = 0;
      for (; at + FRAME <= joined.length; at += FRAME) out.media(joined.subarray(at, at + FRAME));
      pending = joined.slice(at);
      limits.send({ type: "line_sent", id, text: "", units: msOf(at) });
      out.mark(`rt.${id}.${limits.line(id)?.sent ?? 0}`);
      return;
    }
    if (e.type === "response.output_audio_transcript.delta") {
      if (dropped(e)) return;
      const item = itemFor(String(e.item_id), e.response_id);
      limits.send({ type: "line_sent", id: item.id, text: String(e.delta ?? ""), units: 0 });
      return;
    }
    if (e.type === "response.output_audio_transcript.done") {
      const item = items.get(String(e.item_id));
      if (!item) return;
      const transcript = String(e.transcript ?? "");
      // The final words complete the deltas (never replace words already counted as sent).
      const sent = limits.line(item.id)?.text;
      if (sent !== undefined && transcript.startsWith(sent) && transcript !== sent)
        limits.send({ type: "line_sent", id: item.id, text: transcript.slice(sent.length), units: 0 });
      if (!item.cut) limits.send({ type: "agent_said", text: transcript });
      return;
    }
    if (e.type === "response.output_audio.done") {
      const item = items.get(String(e.item_id));
      if (!item || item.finished) return;
      if (pending.length) {
        out.media(Uint8Array.from({ length: FRAME }, (_, i) => pending[i] ?? 0xff));
        limits.send({ type: "line_sent", id: item.id, text: "", units: msOf(pending.length) });
        pending = new Uint8Array(0);
      }
      out.mark(`rt.${item.id}.end`);
      return;
    }
    if (e.type === "response.function_call_arguments.done") {
      const runs = toolRuns.get(String(e.response_id)) ?? [];
      toolRuns.set(String(e.response_id), runs);
      const run = callTool(e);
      runs.push(run);
      await run;
      return;
    }
    if (e.type === "error") {
      const code = (e.error as { code?: string } | undefined)?.code;
      // Our cancel crossed the response's end (or the server VAD's own interruption): nothing lost.
      if (code === "response_cancel_not_active") return;
      // Our last line asked for while another response was still finishing: asked again after it.
      if (code === "conversation_already_has_active_response" && lastLine && !lastLine.responseId) {
        lastLine.requested = false;
        return;
      }
      deps.log({ level: "error", msg: "realtime error", err: JSON.stringify(e.error ?? {}) });
      await deps.recordEvent("provider.error", {
        provider: "openai-realtime",
        message: String((e.error as { message?: string } | undefined)?.message ?? ""),
      });
    }
  }

  /** Runs one function call and gives the model its output; false when it ends or hands over the call. */
  async function callTool(e: Record<string, unknown>) {
    const call = { id: String(e.call_id), name: String(e.name), arguments: String(e.arguments ?? "") };
    const outcome = await runTool(call, agent.tools, { allowAddresses: deps.allowToolAddresses });
    await deps.recordTurn({
      seq: seq++,
      speaker: "tool",
      text: `${call.name}(${call.arguments}) → ${outcome.result.slice(0, 300)}`,
      offsetMs: deps.now(),
      endOffsetMs: deps.now(),
      interrupted: false,
    });
    send({
      type: "conversation.item.create",
      item: { type: "function_call_output", call_id: call.id, output: outcome.result },
    });
    if (outcome.dtmf) {
      for (const frame of dtmfFrames(outcome.dtmf)) out.media(frame);
      await deps.recordEvent("call.dtmf_sent", { digits: outcome.dtmf });
    }
    if (!outcome.action) return true;
    // The call state hangs up or transfers once what the model said before the call is heard.
    limits.send({ type: "tool_result", action: outcome.action });
    await flush();
    return false;
  }

  ws.on("close", (code) => {
    if (limits.over) return;
    deps.log({ level: "error", msg: "realtime connection closed", code });
    void deps
      .recordEvent("provider.error", { provider: "openai-realtime", message: `closed ${code}` })
      .then(() => deps.hangUp("provider_error"));
  });

  limits.send({ type: "tick" }); // a call answered with no time left says only its last line
  if (!limits.ending && agent.firstMessage.trim()) respond({ instructions: sayExactly(agent.firstMessage) });

  return {
    audio(frame: Uint8Array) {
      send({
        type: "input_audio_buffer.append",
        audio: toBase64(frame),
      });
      vad.push(frame);
      if (vad.loud) limits.send({ type: "caller_voice" });
    },
    async mark(name: string) {
      const m = /^rt\.(.+)\.(\d+|end)$/.exec(name);
      const item = m ? items.get(m[1]!) : undefined;
      if (!item || item.finished) return;
      if (m![2] !== "end") return limits.send({ type: "mark_heard", id: item.id, units: Number(m![2]) });
      await deps.recordEvent("mark.played", { name });
      limits.send({ type: "line_heard", id: item.id });
      await flush();
    },
    async close() {
      limits.close();
      await flush();
      ws.close(1000);
    },
  };
}
