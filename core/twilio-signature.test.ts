import twilio from "twilio";
import { describe, expect, it } from "vitest";
import { twilioSignature, verifyTwilioSignature } from "./twilio-signature";

const token = "12345";
const url = "https://edge.example.com/twilio/voice?x=1";
const params = { CallSid: "CA1234567890ABCDE", From: "+12349013030", To: "+18005551212", Digits: "1234" };

describe("Twilio request signatures (Web Crypto)", () => {
  it("computes what the official twilio library computes", async () => {
    expect(await twilioSignature(token, url, params)).toBe(twilio.getExpectedTwilioSignature(token, url, params));
  });

  it("accepts a genuine signature, also when Twilio signed the URL with its default port", async () => {
    const sig = twilio.getExpectedTwilioSignature(token, url, params);
    expect(await verifyTwilioSignature(token, sig, url, params)).toBe(true);
    const withPort = twilio.getExpectedTwilioSignature(token, "https://edge.example.com:443/twilio/voice?x=1", params);
    expect(await verifyTwilioSignature(token, withPort, url, params)).toBe(true);
  });

  it("rejects a missing, malformed or forged signature and tampered parameters", async () => {
    const sig = twilio.getExpectedTwilioSignature(token, url, params);
    expect(await verifyTwilioSignature(token, undefined, url, params)).toBe(false);
    expect(await verifyTwilioSignature(token, "!!!", url, params)).toBe(false);
    expect(await verifyTwilioSignature("other", sig, url, params)).toBe(false);
    expect(await verifyTwilioSignature(token, sig, url, { ...params, To: "+18005550000" })).toBe(false);
  });
});
