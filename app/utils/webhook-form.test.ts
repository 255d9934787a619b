import { describe, expect, it } from "vitest";
import { endpointSchema } from "./webhook-form";

describe("webhook endpoint form", () => {
  it("takes a URL and a set of known event types; none chosen means all", () => {
    expect(endpointSchema.parse({ url: " https://example.com/h " })).toEqual({
      url: "https://example.com/h",
      events: [],
    });
    expect(
      endpointSchema.parse({ url: "https://example.com/h", events: ["call.ended", "call.ended", "transcript.ready"] })
        .events,
    ).toEqual(["call.ended", "transcript.ready"]);
  });

  it("refuses what is not a URL and event types that do not exist, saying which", () => {
    expect(endpointSchema.safeParse({ url: "example" }).error?.issues[0]?.message).toMatch(/full URL/);
    expect(
      endpointSchema.safeParse({ url: "https://example.com", events: ["call.exploded"] }).error?.issues[0]?.message,
    ).toBe("Unknown event type");
  });
});
