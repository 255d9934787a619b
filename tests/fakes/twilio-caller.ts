import twilio from "twilio";
import { WebSocket } from "ws";
import { decodeMulaw } from "../../core/audio/mulaw";

const hex = (n: number) =>
  [...crypto.getRandomValues(new Uint8Array(n))].map((b) => b.toString(16).padStart(2, "0")).join("");
const unescapeXml = (s: string) =>
  s.replace(/&(lt|gt|amp|quot|apos);/g, (_, e) => ({ lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" })[e as string]!);

export type CallResult = {
  callSid: string;
  twimlStatus: number;
  twiml: string;
  streamed: boolean;
  agentFrames: number;
  marks: string[];
  closeCode?: number;
  /** From the webhook's request: its TwiML answered, and the agent's first audio frame arrived. */
  timings?: { twimlMs: number; firstAudioMs?: number };
  /** The stream ended from the server's side and <Connect> had an action: what Twilio was told to do next. */
  afterStream?: { status: number; twiml: string };
  /** When the TwiML began with <Start><Recording>: where Twilio reports it, and what it recorded. */
  recording?: { callback: string; channels: 1 | 2; caller: Uint8Array; agent: Uint8Array; seconds: number };
};

/** A WAV file as Twilio's `.wav` media: 8 kHz, 16-bit PCM, the caller on channel 1 and the agent on channel 2 when dual. */
export function recordingWav(r: NonNullable<CallResult["recording"]>) {
  const caller = decodeMulaw(r.caller);
  const agent = decodeMulaw(r.agent);
  const frames = Math.max(caller.length, agent.length);
  const pcm = new Int16Array(frames * r.channels);
  for (let i = 0; i < frames; i++) {
    if (r.channels === 2) {
      pcm[2 * i] = caller[i] ?? 0;
      pcm[2 * i + 1] = agent[i] ?? 0;
    } else pcm[i] = Math.max(-32768, Math.min(32767, (caller[i] ?? 0) + (agent[i] ?? 0)));
  }
  const header = Buffer.alloc(44);
  header.write("RIFF", 0);
  header.writeUInt32LE(36 + pcm.byteLength, 4);
  header.write("WAVEfmt ", 8);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(r.channels, 22);
  header.writeUInt32LE(8000, 24);
  header.writeUInt32LE(8000 * 2 * r.channels, 28);
  header.writeUInt16LE(2 * r.channels, 32);
  header.writeUInt16LE(16, 34);
  header.write("data", 36);
  header.writeUInt32LE(pcm.byteLength, 40);
  return Buffer.concat([header, Buffer.from(pcm.buffer)]);
}

/**
 * The URL Twilio opens for a <Stream url>: the query string is dropped — Twilio's <Stream> takes
 * none ("Remove query string parameters from the <Stream> url. Use nested <Parameter> nouns":
 * https://www.twilio.com/docs/api/errors/31920; https://www.twilio.com/docs/voice/twiml/stream#custom-parameters).
 * The handshake is then signed like a webhook (X-Twilio-Signature over this URL, no parameters:
 * https://www.twilio.com/docs/global-infrastructure/firewall-configurations/media-streams-configuration,
 * https://www.twilio.com/docs/usage/webhooks/webhooks-security) with the auth token of the
 * account that owns the call.
 */
export function twilioStreamUrl(written: string) {
  const url = new URL(written);
  url.search = "";
  url.hash = "";
  return url.toString();
}

/**
 * Plays Twilio's part in an inbound call: the signed voice webhook to the edge, then the Media
 * Stream the TwiML asks for (connected, start with its parameters, 20 ms μ-law frames, stop).
 * Like Twilio, it echoes each `mark` once the audio queued before it has played.
 */
export async function placeInboundCall(opts: {
  edgeUrl: string;
  authToken: string;
  to: string;
  from: string;
  talkMs: number;
  tamper?: (params: { token?: string }) => { token?: string };
  /** The account that owns the number (a tenant's subaccount); Twilio signs with its auth token. */
  accountSid?: string;
  /** A CallSid the Twilio fake already knows (`inboundCall`), so REST calls on this call work. */
  callSid?: string;
  /** The caller stays on the line (talking silence) until this settles, however long `talkMs`. */
  until?: Promise<unknown>;
}): Promise<CallResult> {
  const callSid = opts.callSid ?? `CA${hex(16)}`;
  const accountSid = opts.accountSid ?? `AC${hex(16)}`;
  const params = {
    AccountSid: accountSid,
    ApiVersion: "2010-04-01",
    CallSid: callSid,
    CallStatus: "ringing",
    Called: opts.to,
    Caller: opts.from,
    Direction: "inbound",
    From: opts.from,
    To: opts.to,
  };
  const url = new URL("/twilio/voice", opts.edgeUrl).toString();
  const started = performance.now();
  const res = await fetch(url, {
    method: "POST",
    headers: { "x-twilio-signature": twilio.getExpectedTwilioSignature(opts.authToken, url, params) },
    body: new URLSearchParams(params),
  });
  const twiml = await res.text();
  return streamTwiml(twiml, res.status, { ...opts, callSid, accountSid, startedAt: started });
}

/**
 * Twilio carrying out a TwiML answer: if it is <Connect><Stream>, opens the signed stream, sends
 * `talkMs` of caller audio (silence) with marks echoed, then stops. Used for inbound calls and for
 * outbound calls once the callee answers.
 */
export async function streamTwiml(
  twiml: string,
  twimlStatus: number,
  opts: {
    authToken: string;
    talkMs: number;
    callSid: string;
    accountSid: string;
    tamper?: (params: { token?: string }) => { token?: string };
    startedAt?: number;
    until?: Promise<unknown>;
  },
): Promise<CallResult> {
  const { callSid, accountSid } = opts;
  const result: CallResult = { callSid, twimlStatus, twiml, streamed: false, agentFrames: 0, marks: [] };
  const startedAt = opts.startedAt ?? performance.now();
  result.timings = { twimlMs: performance.now() - startedAt };
  const stream = twiml.match(/<Stream url="([^"]+)">/);
  if (!stream) return result;
  const record = /<Start><Recording channels="(mono|dual)" recordingStatusCallback="([^"]+)"/.exec(twiml);
  const callerAudio: Uint8Array[] = [];
  const agentAudio: Uint8Array[] = [];
  let custom: { token?: string } = {};
  for (const m of twiml.matchAll(/<Parameter name="([^"]+)" value="([^"]*)"\/>/g)) {
    custom = { ...custom, [unescapeXml(m[1]!)]: unescapeXml(m[2]!) };
  }
  if (opts.tamper) custom = opts.tamper(custom);

  const streamSid = `MZ${hex(16)}`;
  const streamUrl = twilioStreamUrl(unescapeXml(stream[1]!));
  const ws = new WebSocket(streamUrl, {
    headers: { "x-twilio-signature": twilio.getExpectedTwilioSignature(opts.authToken, streamUrl, {}) },
  });
  result.streamed = true;
  let seq = 0;
  const send = (msg: Record<string, unknown>) =>
    ws.readyState === ws.OPEN && ws.send(JSON.stringify({ ...msg, sequenceNumber: String(++seq) }));
  const closed = new Promise<number>((resolve) => ws.on("close", (code) => resolve(code)));
  ws.on("message", (raw) => {
    const msg = JSON.parse(String(raw));
    if (msg.event === "media") {
      result.agentFrames++;
      result.timings!.firstAudioMs ??= performance.now() - startedAt;
      if (record) agentAudio.push(Buffer.from(msg.media.payload, "base64"));
    }
    if (msg.event === "mark") {
      result.marks.push(msg.mark.name);
      send({ event: "mark", streamSid, mark: { name: msg.mark.name } });
    }
  });
  await new Promise<void>((resolve, reject) => {
    ws.once("open", () => resolve());
    ws.once("error", reject);
  });
  ws.send(JSON.stringify({ event: "connected", protocol: "Call", version: "1.0.0" }));
  send({
    event: "start",
    streamSid,
    start: {
      streamSid,
      accountSid,
      callSid,
      tracks: ["inbound"],
      customParameters: custom,
      mediaFormat: { encoding: "audio/x-mulaw", sampleRate: 8000, channels: 1 },
    },
  });
  const silence = Buffer.alloc(160, 0xff).toString("base64");
  const began = Date.now();
  let holding = Boolean(opts.until);
  void opts.until?.finally(() => {
    holding = false;
  });
  for (let chunk = 1; (Date.now() - began < opts.talkMs || holding) && ws.readyState === ws.OPEN; chunk++) {
    if (record) callerAudio.push(Buffer.alloc(160, 0xff));
    send({
      event: "media",
      streamSid,
      media: { track: "inbound", chunk: String(chunk), timestamp: String(Date.now() - began), payload: silence },
    });
    await new Promise((r) => setTimeout(r, 20));
  }
  // The server closed the stream (the caller is still on the line): Twilio asks <Connect>'s action what next.
  const serverEnded = ws.readyState !== ws.OPEN;
  send({ event: "stop", streamSid, stop: { accountSid, callSid } });
  setTimeout(() => ws.close(1000), 200);
  result.closeCode = await closed;
  const action = /<Connect action="([^"]+)"/.exec(twiml);
  if (serverEnded && action) {
    const url = unescapeXml(action[1]!);
    const params = {
      AccountSid: accountSid,
      ApiVersion: "2010-04-01",
      CallSid: callSid,
      CallStatus: "in-progress",
      Direction: "inbound",
    };
    const res = await fetch(url, {
      method: "POST",
      headers: { "x-twilio-signature": twilio.getExpectedTwilioSignature(opts.authToken, url, params) },
      body: new URLSearchParams(params),
    });
    result.afterStream = { status: res.status, twiml: await res.text() };
  }
  if (record)
    result.recording = {
      callback: unescapeXml(record[2]!),
      channels: record[1] === "dual" ? 2 : 1,
      caller: Buffer.concat(callerAudio),
      agent: Buffer.concat(agentAudio),
      seconds: Math.round((Date.now() - began) / 1000),
    };
  return result;
}
