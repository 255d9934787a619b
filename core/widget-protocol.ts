/**
 * The widget socket's control messages, JSON in text frames (binary frames are audio: 16 kHz PCM
 * from the page, μ-law 8 kHz to it). Marks mirror Twilio's, so barge-in keeps only what the
 * visitor heard (docs/decisions/0010).
 */
export type PageMessage =
  | { type: "mark"; name: string }
  | { type: "hangup" }
  /** A typed caller turn: only on a call that said `text_turns` (SANDBOX recogniser), 1–500 characters. */
  | { type: "caller_text"; text: string };
export type RelayMessage =
  | { type: "mark"; name: string }
  | { type: "clear" }
  | { type: "ended"; reason: string }
  /** This call takes typed caller turns: no recogniser key is set (docs/decisions/0047). */
  | { type: "text_turns" };
