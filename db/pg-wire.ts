/**
 * Just enough of the Postgres wire protocol (v3) to serve one database session to many clients
 * (db/embedded-server.ts): frontend message framing, the session status a reply ends in, and
 * error replies. https://www.postgresql.org/docs/current/protocol-message-formats.html
 */

/** Untyped requests a client may send before (or instead of) its StartupMessage. */
export const requestCodes = { ssl: 80877103, gssenc: 80877104, cancel: 80877102 } as const;

export type FrontendMessage =
  | { kind: "ssl" | "gssenc" | "cancel" | "startup"; bytes: Buffer }
  | { kind: "message"; type: string; bytes: Buffer };

/**
 * Splits a client's byte stream into whole messages. Until the StartupMessage, messages carry no
 * type byte (length, then a code); after it, a type byte then a length that counts itself.
 */
export class FrontendReader {
  private buffer: Buffer = Buffer.alloc(0);
  private started = false;

  constructor(private readonly maxMessageBytes: number) {}

  /** The whole messages completed by `chunk`, in order; throws on a length no client sends. */
  push(chunk: Buffer): FrontendMessage[] {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
    const out: FrontendMessage[] = [];
    for (;;) {
      const headerBytes = this.started ? 5 : 8;
      if (this.buffer.length < headerBytes) break;
      const length = this.started ? this.buffer.readInt32BE(1) + 1 : this.buffer.readInt32BE(0);
      if (length < headerBytes || length > this.maxMessageBytes)
        throw new WireError(`invalid message length ${length}`);
      if (this.buffer.length < length) break;
      const bytes = this.buffer.subarray(0, length);
      this.buffer = this.buffer.subarray(length);
      out.push(this.started ? { kind: "message", type: String.fromCharCode(bytes[0]!), bytes } : this.untyped(bytes));
    }
    return out;
  }

  private untyped(bytes: Buffer): FrontendMessage {
    const code = bytes.readInt32BE(4);
    if (code === requestCodes.ssl) return { kind: "ssl", bytes };
    if (code === requestCodes.gssenc) return { kind: "gssenc", bytes };
    if (code === requestCodes.cancel) return { kind: "cancel", bytes };
    if (code >> 16 !== 3) throw new WireError(`unsupported protocol ${code >> 16}.${code & 0xffff}`);
    this.started = true;
    return { kind: "startup", bytes };
  }
}

export class WireError extends Error {}

export type SessionStatus = "I" | "T" | "E";

/**
 * The session's status if `reply` (whole backend messages) ends with ReadyForQuery: idle, in a
 * transaction, or in a failed one. Null when it ends otherwise: an extended-protocol sequence
 * is still open (Parse/Bind/Execute before their Sync), so the session is not yet free.
 */
export function endStatus(reply: Buffer): SessionStatus | null {
  let last: { type: number; at: number; length: number } | undefined;
  for (let at = 0; at + 5 <= reply.length; ) {
    const length = reply.readInt32BE(at + 1);
    if (length < 4 || at + 1 + length > reply.length) return null;
    last = { type: reply[at]!, at, length };
    at += 1 + length;
  }
  if (last?.type !== 0x5a || last.length !== 5 || last.at + 6 !== reply.length) return null;
  const status = String.fromCharCode(reply[last.at + 5]!);
  return status === "I" || status === "T" || status === "E" ? status : null;
}

/** A typed message: its type byte, then its length (counting itself), then `body`. */
export function message(type: string, body: Buffer = Buffer.alloc(0)) {
  const head = Buffer.alloc(5);
  head.write(type, 0, "latin1");
  head.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([head, body]);
}

/** A simple-protocol Query. */
export const query = (text: string) => message("Q", Buffer.from(`${text}\0`));
export const sync = () => message("S");

/** An ErrorResponse, as a server sends it before closing a connection or refusing one. */
export function errorResponse(severity: "ERROR" | "FATAL", code: string, text: string) {
  const fields = [`S${severity}`, `V${severity}`, `C${code}`, `M${text}`].map((f) => `${f}\0`).join("");
  return message("E", Buffer.from(`${fields}\0`));
}
