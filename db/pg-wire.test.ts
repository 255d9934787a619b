import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { endStatus, errorResponse, FrontendReader, message, requestCodes, WireError } from "./pg-wire";

const startup = (() => {
  const params = Buffer.from("user\0postgres\0application_name\0jobs\0\0");
  const head = Buffer.alloc(8);
  head.writeInt32BE(8 + params.length);
  head.writeInt32BE(196608, 4);
  return Buffer.concat([head, params]);
})();
const ssl = Buffer.from([
  0,
  0,
  0,
  8,
  ...[requestCodes.ssl >>> 24, (requestCodes.ssl >> 16) & 255, (requestCodes.ssl >> 8) & 255, requestCodes.ssl & 255],
]);
const typed = fc
  .record({ type: fc.constantFrom("P", "B", "D", "E", "S", "Q", "H", "d"), body: fc.uint8Array({ maxLength: 200 }) })
  .map(({ type, body }) => message(type, Buffer.from(body)));

/** Cuts `bytes` at the given points (each taken modulo the length), in order. */
function cut(bytes: Buffer, points: number[]) {
  const at = [...new Set(points.map((p) => p % (bytes.length + 1)))].sort((a, b) => a - b);
  return [...at, bytes.length].map((end, i) => bytes.subarray(i ? at[i - 1] : 0, end));
}

describe("FrontendReader", () => {
  it("yields the same whole messages however the stream is cut into chunks", () => {
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.array(typed, { maxLength: 20 }),
        fc.array(fc.nat(), { maxLength: 30 }),
        (withSsl, messages, points) => {
          const stream = Buffer.concat([...(withSsl ? [ssl] : []), startup, ...messages]);
          const reader = new FrontendReader(1 << 20);
          const out = cut(stream, points).flatMap((chunk) => reader.push(chunk));
          expect(out.map((m) => m.kind)).toEqual([
            ...(withSsl ? ["ssl"] : []),
            "startup",
            ...messages.map(() => "message"),
          ]);
          expect(Buffer.concat(out.map((m) => m.bytes))).toEqual(stream);
          expect(out.filter((m) => m.kind === "message").map((m) => (m as { type: string }).type)).toEqual(
            messages.map((m) => String.fromCharCode(m[0]!)),
          );
        },
      ),
    );
  });

  it("refuses a length below the header's or above the limit, before reading the body", () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.integer({ min: -(2 ** 31), max: 3 }), fc.integer({ min: 1025, max: 2 ** 31 - 1 })),
        (length) => {
          const reader = new FrontendReader(1024);
          reader.push(startup);
          const head = Buffer.alloc(5);
          head.write("Q");
          head.writeInt32BE(length, 1);
          expect(() => reader.push(head)).toThrow(WireError);
        },
      ),
    );
    expect(() => new FrontendReader(1024).push(Buffer.from([0, 0, 0, 8, 0, 9, 0, 0]))).toThrow(/unsupported protocol/);
  });
});

describe("endStatus", () => {
  const backend = fc
    .record({
      type: fc.constantFrom("T", "D", "C", "1", "2", "n", "S", "N", "A"),
      body: fc.uint8Array({ maxLength: 100 }),
    })
    .map(({ type, body }) => message(type, Buffer.from(body)));

  it("is the status of a reply that ends in ReadyForQuery, whatever came before it", () => {
    fc.assert(
      fc.property(fc.array(backend, { maxLength: 10 }), fc.constantFrom("I", "T", "E"), (before, status) => {
        expect(endStatus(Buffer.concat([...before, message("Z", Buffer.from(status))]))).toBe(status);
      }),
    );
  });

  it("is null while a sequence is open: no ReadyForQuery last, a truncated reply, or one that only looks like it in a row's data", () => {
    fc.assert(
      fc.property(fc.array(backend, { minLength: 1, maxLength: 10 }), (messages) => {
        expect(endStatus(Buffer.concat(messages))).toBeNull();
        const whole = Buffer.concat([...messages, message("Z", Buffer.from("I"))]);
        expect(endStatus(whole.subarray(0, whole.length - 1))).toBeNull();
      }),
    );
    expect(endStatus(message("D", Buffer.from("Z\0\0\0\x05I")))).toBeNull();
    expect(endStatus(errorResponse("FATAL", "08P01", "x"))).toBeNull();
  });
});
