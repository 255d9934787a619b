import { connect } from "node:net";

export type RawResponse =
  | { status: number; headers: Record<string, string>; body: Buffer }
  | { status: null; error: string };

const headEnd = (b: Buffer) => b.indexOf("\r\n\r\n");

/** The first complete response in `buf` (interim 1xx answers skipped), or null while more is needed. */
function parse(buf: Buffer, head: boolean, closed: boolean): RawResponse | null {
  for (;;) {
    const end = headEnd(buf);
    if (end < 0) return null;
    const lines = buf.subarray(0, end).toString("latin1").split("\r\n");
    const status = Number(lines[0]!.split(" ")[1]);
    const headers: Record<string, string> = {};
    for (const l of lines.slice(1)) {
      const i = l.indexOf(":");
      if (i > 0) headers[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim();
    }
    let rest = buf.subarray(end + 4);
    if (status >= 100 && status < 200 && status !== 101) {
      buf = rest;
      continue;
    }
    if (head || status === 204 || status === 304) return { status, headers, body: Buffer.alloc(0) };
    if (headers["content-length"] !== undefined) {
      const n = Number(headers["content-length"]);
      return rest.length >= n ? { status, headers, body: rest.subarray(0, n) } : null;
    }
    if (/chunked/i.test(headers["transfer-encoding"] ?? "")) {
      const chunks: Buffer[] = [];
      for (;;) {
        const eol = rest.indexOf("\r\n");
        if (eol < 0) return null;
        const size = Number.parseInt(rest.subarray(0, eol).toString(), 16);
        if (rest.length < eol + 2 + size + 2) return null;
        if (size === 0) return { status, headers, body: Buffer.concat(chunks) };
        chunks.push(rest.subarray(eol + 2, eol + 2 + size));
        rest = rest.subarray(eol + 2 + size + 2);
      }
    }
    return closed ? { status, headers, body: rest } : null;
  }
}

/**
 * One HTTP/1.1 exchange over a raw socket, bytes exactly as given (fetch and node:http would
 * normalise or refuse what a fuzzer sends). `parts` are written in turn, `trickleMs` apart (a
 * slow sender), then the sending side is closed if `halfClose`; the answer is read to its end. A reset, or silence for `timeoutMs`, is returned
 * as `{ status: null }`, never thrown.
 */
export function rawRequest(
  url: string,
  parts: (string | Buffer)[],
  opts: { timeoutMs?: number; trickleMs?: number; head?: boolean; halfClose?: boolean } = {},
): Promise<RawResponse> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    let buf = Buffer.alloc(0);
    let done = false;
    const finish = (r: RawResponse) => {
      if (done) return;
      done = true;
      socket.destroy();
      resolve(r);
    };
    const socket = connect(Number(port), hostname, async () => {
      for (const [i, p] of parts.entries()) {
        if (done || socket.destroyed) return;
        if (i > 0 && opts.trickleMs) await new Promise((r) => setTimeout(r, opts.trickleMs));
        if (!socket.destroyed) socket.write(p);
      }
      if (opts.halfClose && !socket.destroyed) socket.end();
    });
    socket.setTimeout(opts.timeoutMs ?? 10_000, () => finish({ status: null, error: "timeout" }));
    socket.on("data", (d) => {
      buf = Buffer.concat([buf, d]);
      const r = parse(buf, opts.head ?? false, false);
      if (r) finish(r);
    });
    socket.on("end", () =>
      finish(parse(buf, opts.head ?? false, true) ?? { status: null, error: buf.length ? "truncated" : "closed" }),
    );
    socket.on("error", (e) => finish(parse(buf, opts.head ?? false, true) ?? { status: null, error: e.message }));
  });
}

/** A request's bytes: request line, headers as given (duplicates allowed), then the body. */
export function requestBytes(method: string, target: string, headers: [string, string][], body: Buffer | string = "") {
  const head = [`${method} ${target} HTTP/1.1`, ...headers.map(([k, v]) => `${k}: ${v}`)].join("\r\n");
  return Buffer.concat([Buffer.from(`${head}\r\n\r\n`), Buffer.isBuffer(body) ? body : Buffer.from(body)]);
}
