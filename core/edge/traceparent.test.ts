import { describe, expect, it } from "vitest";
import { nextTraceparent, otlpHeaders, parseTraceparent, traceIdOf } from "./traceparent";

describe("traceparent", () => {
  it("continues a valid trace with a new span id", () => {
    const incoming = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    const next = nextTraceparent(incoming);
    expect(traceIdOf(next)).toBe("4bf92f3577b34da6a3ce929d0e0e4736");
    expect(next).not.toBe(incoming);
    expect(next).toMatch(/^00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01$/);
  });

  it("starts a new trace for a missing, malformed or all-zero one", () => {
    for (const bad of [
      undefined,
      "",
      "garbage",
      "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
      "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7",
    ]) {
      expect(nextTraceparent(bad)).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    }
  });

  it("parses a traceparent's ids, and nothing else", () => {
    expect(parseTraceparent(" 00-4BF92F3577B34DA6A3CE929D0E0E4736-00F067AA0BA902B7-01 ")).toEqual({
      traceId: "4bf92f3577b34da6a3ce929d0e0e4736",
      spanId: "00f067aa0ba902b7",
    });
    expect(parseTraceparent("garbage")).toBeNull();
  });
});

describe("OTEL_EXPORTER_OTLP_HEADERS", () => {
  it("reads k=v pairs with URL-encoded values, skipping anything else", () => {
    expect(otlpHeaders("x-api-key=a%3Db, Authorization = Basic%20xyz,junk,=v")).toEqual({
      "x-api-key": "a=b",
      Authorization: "Basic xyz",
    });
    expect(otlpHeaders(undefined)).toEqual({});
  });
});
