/** Text or an attribute value made safe inside TwiML. */
export const escapeXml = (s: string) =>
  s.replace(/[<>&"']/g, (ch) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&apos;" })[ch]!);

/** What a caller hears when the person they were being transferred to could not be reached. */
export const TRANSFER_UNAVAILABLE =
  "I'm sorry, nobody could take your call right now. Please try again later. Goodbye.";

/** The conference a warm transfer's caller waits in, and the person joins. */
export const holdRoom = (callId: string) => `bvrai-transfer-${callId}`;

export const sayAndHangUpTwiml = (text: string) => `<Response><Say>${escapeXml(text)}</Say><Hangup/></Response>`;
