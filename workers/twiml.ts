import { escapeXml } from "../core/twiml";

const doc = (body: string) => `<?xml version="1.0" encoding="UTF-8"?><Response>${body}</Response>`;

export const twimlResponse = (body: string) =>
  new Response(body, { headers: { "content-type": "text/xml; charset=utf-8" } });

/** Twilio records both sides (dual channel) from here on and posts to `recordingCallback` when the file is ready. */
const startRecording = (recordingCallback: string) =>
  `<Start><Recording channels="dual" recordingStatusCallback="${escapeXml(recordingCallback)}" recordingStatusCallbackEvent="completed absent"/></Start>`;

/** `action`: where Twilio asks what to do when the stream ends with the caller still there (routes/twilio-stream-ended). */
export const connectStream = (
  url: string,
  params: Record<string, string>,
  opts: { recordingCallback?: string; action?: string } = {},
) =>
  doc(
    `${opts.recordingCallback ? startRecording(opts.recordingCallback) : ""}<Connect${opts.action ? ` action="${escapeXml(opts.action)}"` : ""}><Stream url="${escapeXml(url)}">${Object.entries(
      params,
    )
      .map(([name, value]) => `<Parameter name="${escapeXml(name)}" value="${escapeXml(value)}"/>`)
      .join("")}</Stream></Connect>`,
  );

export const sayAndHangUp = (text: string) => doc(`<Say>${escapeXml(text)}</Say><Hangup/>`);

export const hangUp = () => doc("<Hangup/>");

/** Where Twilio asks what next once a call's stream has ended (signed with the rest of the URL). */
export const streamEndedUrl = (requestUrl: string, call: { tenantId: string; callId: string }) => {
  const url = new URL("/twilio/stream-ended", requestUrl);
  url.searchParams.set("tenant", call.tenantId);
  url.searchParams.set("call", call.callId);
  return url.toString();
};

/**
 * The relay's stream URL for a call on `accountSid` (none: the platform's own account). Twilio's
 * <Stream url> drops query strings (error 31920: https://www.twilio.com/docs/api/errors/31920),
 * so the account whose token signs the handshake travels in the path. The relay also finds it
 * in the stream token and refuses a stream whose path and token disagree.
 */
export const relayStreamUrl = (relayPublicUrl: string, accountSid: string | null | undefined) =>
  new URL(accountSid ? `/twilio/${accountSid}` : "/twilio", relayPublicUrl).toString();
