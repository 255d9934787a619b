import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { utf8 } from "../../core/bytes";
import { MAX_FORWARDED_BODY_BYTES } from "../../core/edge/limits";
import { EDGE_SIGNATURE_HEADER, signForOrigin } from "../../core/edge/origin-signature";
import { edgeOnly } from "./edge-only";

const secret = "edge-origin-secret-for-tests-0123456789";
const app = new Hono().use(edgeOnly(secret)).all("*", async (c) => c.text(`got ${await c.req.text()}`));
/** A request as the edge forwards it: `signedBody` is what the edge read and signed, `body` what arrives. */
async function forwarded(signedBody: string, body: BodyInit | null = signedBody, method = "POST") {
  const header = await signForOrigin(secret, {
    method,
    path: "/api/v1/agents?x=1",
    requestId: "req-1",
    body: utf8(signedBody),
  });
  return app.request("http://origin.test/api/v1/agents?x=1", {
    method,
    body,
    headers: { [EDGE_SIGNATURE_HEADER]: header, "x-request-id": "req-1" },
  });
}

describe("the origin takes only what the edge signed", () => {
  it("passes a signed body on, whole, to the handler", async () => {
    const res = await forwarded('{"name":"Front desk"}');
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('got {"name":"Front desk"}');
    expect((await forwarded("", null, "GET")).status).toBe(200);
  });

  it("refuses a body changed under a valid signature (swapped, extended, emptied), and says nothing of why", async () => {
    for (const body of ['{"name":"Evil desk"}', '{"name":"Front desk"}\n', ""]) {
      const res = await forwarded('{"name":"Front desk"}', body);
      expect(res.status).toBe(403);
      expect(await res.json()).toEqual({
        error: { code: "FORBIDDEN", message: "Requests reach this service only through its edge.", requestId: "req-1" },
      });
    }
  });

  it("refuses an unsigned request before reading its body, and an oversized signed one with 413", async () => {
    let pulled = false;
    const body = new ReadableStream(
      {
        pull: () => {
          pulled = true;
        },
      },
      { highWaterMark: 0 },
    );
    const unsigned = await app.request("http://origin.test/x", { method: "POST", body, duplex: "half" } as RequestInit);
    expect(unsigned.status).toBe(403);
    expect(pulled).toBe(false);
    const big = "x".repeat(MAX_FORWARDED_BODY_BYTES + 1);
    const res = await forwarded(big);
    expect(res.status).toBe(413);
    expect((await res.json()).error.code).toBe("PAYLOAD_TOO_LARGE");
  });
});
