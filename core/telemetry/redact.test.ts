import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { addLogFields, createLogger, withLogFields } from "./logger";
import { redact, scrubText } from "./redact";

// Key-shaped strings are assembled here, so no scanner mistakes this file for one holding real keys.
const live = (rest: string) => ["sk", "live", rest].join("_");

function capture() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _enc, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  return { lines, logger: createLogger("test", { level: "debug", destination }) };
}

describe("log redaction", () => {
  it("cuts phone numbers, bearer tokens, keys, JWTs and URL passwords out of any string", () => {
    const s = scrubText(
      `caller +14155550123 / (415) 555-0199 auth Bearer abc.def-ghi key ${["sk", "proj", "AbCdEf123456"].join("-")} ${live("51Habcdef0000")} whsec_abc+/= bv_live_abcdefghijk jwt eyJhbGciOi.eyJzdWIi.sig url postgres://bvrai_app:hunter2@db:5432/x`,
    );
    for (const secret of [
      "4155550123",
      "555-0199",
      "abc.def-ghi",
      "AbCdEf123456",
      "51Habcdef0000",
      "whsec_abc",
      "abcdefghijk",
      "eyJzdWIi",
      "hunter2",
    ])
      expect(s).not.toContain(secret);
    expect(s).toContain("[phone]");
    expect(s).toContain("postgres://bvrai_app:[redacted]@db:5432/x");
  });

  it("cuts the tokens of emailed links out of paths and URLs: invitations, resets, sign-in links", () => {
    const token = "k3j9ax8m2qzz7Yt-_4";
    expect(scrubText(`/invite/${token}`)).toBe("/invite/[redacted]");
    expect(
      scrubText(`GET https://app.example/invite/${token}?x=1 from /login?redirectTo=%2Finvite%2F${token}`),
    ).not.toContain(token);
    expect(scrubText(`/reset-password?token=${token}&next=/agents`)).toBe(
      "/reset-password?token=[redacted]&next=/agents",
    );
    expect(scrubText(`/login/link?token=${token}`)).toBe("/login/link?token=[redacted]");
    expect(scrubText("/settings/invitations/3f2b1c9e-8a7d-4e5f-9a1b-2c3d4e5f6a7b")).toBe(
      "/settings/invitations/3f2b1c9e-8a7d-4e5f-9a1b-2c3d4e5f6a7b",
    );
  });

  it("leaves ids, SIDs, timestamps and counts readable", () => {
    const text =
      "call 3f2b1c9e-8a7d-4e5f-9a1b-2c3d4e5f6a7b CA0123456789abcdef0123456789abcdef at 2026-11-29T16:00:00.000Z took 1500 ms";
    expect(scrubText(text)).toBe(text);
    // A trace's span id is hex: one that starts with ten digits is not a phone number (it made a test flaky).
    const span = "span 4155550100abcdef trace 0123456789012345678901234567abcd";
    expect(scrubText(span)).toBe(span);
  });

  it("replaces values under secret keys at any depth, and survives cycles", () => {
    const input: Record<string, unknown> = {
      agent: { systemPrompt: "You are Ava", firstMessage: "Hi" },
      headers: { authorization: "Basic x", "x-api-key": "k" },
      from: "+14155550123",
      items: [{ transcript: "my card is 4111" }],
      durationMs: 1200,
    };
    input.self = input;
    // biome-ignore lint/suspicious/noExplicitAny: reading into an arbitrary redacted tree
    const out = redact(input) as Record<string, any>;
    expect(out.agent.systemPrompt).toBe("[redacted]");
    expect(out.agent.firstMessage).toBe("[redacted]");
    expect(out.headers.authorization).toBe("[redacted]");
    expect(out.headers["x-api-key"]).toBe("[redacted]");
    expect(out.from).toBe("[redacted]");
    expect(out.items[0].transcript).toBe("[redacted]");
    expect(out.durationMs).toBe(1200);
    expect(out.self).toBe("[…]");
  });

  it("the logger writes JSON with the service, the scope's ids, and nothing secret from fields, messages, bindings or errors", () => {
    const { lines, logger } = capture();
    withLogFields({ requestId: "req_1" }, () => {
      addLogFields({ tenantId: "t_1" });
      logger
        .child({ callId: "c_1", token: "st-secret" })
        .warn(
          { prompt: "secret prompt", to: "+14155550100", apiKey: "sk-live-zzzzzzzzzz", seconds: 3 },
          "dialled +14155550100 with Bearer tok123",
        );
      logger.error({ err: new Error(`stripe said ${live("abcdefgh123")} is invalid for +447700900123`) }, "failed");
    });
    logger.info("outside");
    const text = JSON.stringify(lines);
    for (const secret of [
      "st-secret",
      "secret prompt",
      "4155550100",
      "zzzzzzzzzz",
      "tok123",
      "abcdefgh123",
      "7700900123",
    ])
      expect(text).not.toContain(secret);
    expect(lines[0]).toMatchObject({
      level: "warn",
      service: "test",
      requestId: "req_1",
      tenantId: "t_1",
      callId: "c_1",
      seconds: 3,
      msg: "dialled [phone] with Bearer [redacted]",
    });
    expect((lines[1] as { err: { message: string } }).err.message).toContain("[phone]");
    expect(lines[2]).not.toHaveProperty("requestId");
  });

  it("an error is logged with its cause and code: a failed query says why it failed", () => {
    const { lines, logger } = capture();
    const driver = Object.assign(new Error('portal "" does not exist'), { code: "34000" });
    logger.error(
      { err: new Error("Failed query: select 1 where phone = '+14155550100'", { cause: driver }) },
      "request failed",
    );
    expect(lines[0]).toMatchObject({
      err: {
        type: "Error",
        message: "Failed query: select 1 where phone = '[phone]'",
        cause: { type: "Error", code: "34000", message: 'portal "" does not exist' },
      },
    });
  });
});
