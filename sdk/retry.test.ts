import { describe, expect, it } from "vitest";
import { retryAfterMs, retryingFetch } from "./retry";

/** A server that answers from a script, recording what it was sent. */
function scripted(answers: (Response | Error)[]) {
  const seen: { method: string; body: string; key: string | null }[] = [];
  const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const req = new Request(input, init);
    seen.push({ method: req.method, body: await req.text(), key: req.headers.get("idempotency-key") });
    const next = answers.shift()!;
    if (next instanceof Error) throw next;
    return next;
  }) as typeof globalThis.fetch;
  return { fetch, seen };
}

describe("the SDK's retries", () => {
  it("wait as Retry-After says on a 429, then send the same request again", async () => {
    const waits: number[] = [];
    const s = scripted([
      new Response("slow down", { status: 429, headers: { "retry-after": "7" } }),
      new Response("ok"),
    ]);
    const f = retryingFetch(s.fetch, { sleep: async (ms) => void waits.push(ms) });
    const res = await f("https://api.test/agents", {
      method: "POST",
      body: '{"name":"A"}',
      headers: { "idempotency-key": "k1" },
    });
    expect(await res.text()).toBe("ok");
    expect(waits).toEqual([7000]);
    expect(s.seen).toEqual([
      { method: "POST", body: '{"name":"A"}', key: "k1" },
      { method: "POST", body: '{"name":"A"}', key: "k1" },
    ]);
  });

  it("back off on 5xx and network errors, never retry a 4xx, and give the last answer after maxRetries", async () => {
    const waits: number[] = [];
    const sleep = async (ms: number) => void waits.push(ms);
    const flaky = scripted([new TypeError("fetch failed"), new Response("", { status: 503 }), new Response("ok")]);
    expect((await retryingFetch(flaky.fetch, { sleep, baseDelayMs: 100 })("https://api.test/x")).status).toBe(200);
    expect(waits).toHaveLength(2);
    expect(waits[1]!).toBeGreaterThanOrEqual(100); // second wait: 100 × 2¹ with jitter in [½, 1]
    const bad = scripted([new Response("no", { status: 400 })]);
    expect((await retryingFetch(bad.fetch, { sleep })("https://api.test/x")).status).toBe(400);
    expect(bad.seen).toHaveLength(1);
    const down = scripted([500, 500, 500].map((status) => new Response("", { status })));
    expect((await retryingFetch(down.fetch, { sleep, maxRetries: 2 })("https://api.test/x")).status).toBe(500);
    expect(down.seen).toHaveLength(3);
    const gone = scripted([new TypeError("fetch failed"), new TypeError("fetch failed")]);
    await expect(retryingFetch(gone.fetch, { sleep, maxRetries: 1 })("https://api.test/x")).rejects.toThrow(
      "fetch failed",
    );
  });

  it("read Retry-After as seconds or as an HTTP date", () => {
    expect(retryAfterMs("3")).toBe(3000);
    expect(retryAfterMs(new Date(Date.UTC(2030, 0, 1, 0, 0, 10)).toUTCString(), Date.UTC(2030, 0, 1))).toBe(10_000);
    expect(retryAfterMs("soon")).toBeNull();
    expect(retryAfterMs(null)).toBeNull();
  });
});
