import { z } from "zod";

// Twilio Media Streams, bidirectional (<Connect><Stream>): what Twilio sends us.
const connected = z.object({ event: z.literal("connected"), protocol: z.string(), version: z.string() });
const start = z.object({
  event: z.literal("start"),
  streamSid: z.string(),
  start: z.object({
    streamSid: z.string(),
    callSid: z.string(),
    accountSid: z.string().optional(),
    tracks: z.array(z.string()).optional(),
    customParameters: z.record(z.string(), z.string()).default({}),
    mediaFormat: z.object({ encoding: z.string(), sampleRate: z.number(), channels: z.number() }).optional(),
  }),
});
const media = z.object({
  event: z.literal("media"),
  streamSid: z.string(),
  media: z.object({
    payload: z.string(),
    track: z.string().optional(),
    chunk: z.string().optional(),
    timestamp: z.string().optional(),
  }),
});
const mark = z.object({ event: z.literal("mark"), streamSid: z.string(), mark: z.object({ name: z.string() }) });
const stop = z.object({
  event: z.literal("stop"),
  streamSid: z.string(),
  stop: z.object({ callSid: z.string() }).partial().optional(),
});
const dtmf = z.object({ event: z.literal("dtmf"), streamSid: z.string(), dtmf: z.object({ digit: z.string() }) });

export const twilioInbound = z.discriminatedUnion("event", [connected, start, media, mark, stop, dtmf]);
export type TwilioInbound = z.infer<typeof twilioInbound>;

// What we send back.
/** A stream's media messages, as JSON.stringify writes them, the fixed part built once: the payload is base64, nothing to escape. */
export function outboundMediaOf(streamSid: string) {
  const head = `{"event":"media","streamSid":${JSON.stringify(streamSid)},"media":{"payload":"`;
  return (base64Payload: string) => `${head}${base64Payload}"}}`;
}
export const outboundMark = (streamSid: string, name: string) =>
  JSON.stringify({ event: "mark", streamSid, mark: { name } });
export const outboundClear = (streamSid: string) => JSON.stringify({ event: "clear", streamSid });
