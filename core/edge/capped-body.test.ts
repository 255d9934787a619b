import { describe, expect, it } from "vitest";
import { readCappedBody } from "./capped-body";

const stream = (chunks: Uint8Array[], fail = false) =>
  new ReadableStream<Uint8Array>({
    start(c) {
      for (const x of chunks) c.enqueue(x);
      if (fail) c.error(new Error("connection reset"));
      else c.close();
    },
  });
const post = (body: ReadableStream<Uint8Array> | Uint8Array | null, headers: Record<string, string> = {}) =>
  new Request("https://edge.bvrai.test/x", { method: "POST", body, headers, duplex: "half" } as RequestInit);

describe("a request body read under a cap", () => {
  it("reads a body up to the cap exactly, in any chunks", async () => {
    const got = await readCappedBody(post(stream([new Uint8Array(6).fill(1), new Uint8Array(4).fill(2)])), 10);
    expect(got).toEqual({ ok: true, body: new Uint8Array([1, 1, 1, 1, 1, 1, 2, 2, 2, 2]) });
    expect(await readCappedBody(post(null), 10)).toEqual({ ok: true, body: new Uint8Array(0) });
  });

  it("refuses a declared length over the cap before reading, and a chunked body as soon as it passes it", async () => {
    let pulled = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull: (c) => {
        pulled++;
        c.enqueue(new Uint8Array(4));
      },
    });
    expect(await readCappedBody(post(endless, { "content-length": "11" }), 10)).toEqual({
      ok: false,
      reason: "too_large",
    });
    expect(pulled).toBeLessThanOrEqual(1); // at most the stream's own first pull
    expect(await readCappedBody(post(endless), 10)).toEqual({ ok: false, reason: "too_large" });
    expect(pulled).toBeLessThanOrEqual(5);
  });

  it("a body broken off by its sender is unreadable, not an exception", async () => {
    expect(await readCappedBody(post(stream([new Uint8Array(3)], true)), 10)).toEqual({
      ok: false,
      reason: "unreadable",
    });
  });
});
