import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { newWebhookSecret, signWebhook } from "./signature";

const body = JSON.stringify({
  type: "call.ended",
  timestamp: "2026-11-29T10:00:00.000Z",
  data: { call: { id: "c1" } },
});

describe("Standard Webhooks signatures", () => {
  it("verify with the specification's reference library", async () => {
    const secret = newWebhookSecret();
    const timestamp = Math.floor(Date.now() / 1000);
    const signature = await signWebhook({ id: "msg_1", timestamp, body, secrets: [secret] });
    const headers = { "webhook-id": "msg_1", "webhook-timestamp": String(timestamp), "webhook-signature": signature };
    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
  });

  it("carry one signature per secret during a rotation; either secret verifies", async () => {
    const [old, fresh] = [newWebhookSecret(), newWebhookSecret()];
    const timestamp = Math.floor(Date.now() / 1000);
    const signature = await signWebhook({ id: "msg_2", timestamp, body, secrets: [fresh, old] });
    expect(signature.split(" ")).toHaveLength(2);
    const headers = { "webhook-id": "msg_2", "webhook-timestamp": String(timestamp), "webhook-signature": signature };
    expect(() => new Webhook(old).verify(body, headers)).not.toThrow();
    expect(() => new Webhook(fresh).verify(body, headers)).not.toThrow();
  });

  it("fail for another secret, a changed body or another id", async () => {
    const secret = newWebhookSecret();
    const timestamp = Math.floor(Date.now() / 1000);
    const signature = await signWebhook({ id: "msg_3", timestamp, body, secrets: [secret] });
    const headers = { "webhook-id": "msg_3", "webhook-timestamp": String(timestamp), "webhook-signature": signature };
    expect(() => new Webhook(newWebhookSecret()).verify(body, headers)).toThrow();
    expect(() => new Webhook(secret).verify(body.replace("c1", "c2"), headers)).toThrow();
    expect(() => new Webhook(secret).verify(body, { ...headers, "webhook-id": "msg_4" })).toThrow();
  });
});
