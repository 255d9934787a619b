import { describe, expect, it } from "vitest";
import { buySchema, outboundSchema, updateSchema } from "./number-form";

const base = { fromNumberId: crypto.randomUUID(), agentId: crypto.randomUUID(), to: "+14155552671" };

describe("the outbound call form", () => {
  it("reads variables as name = value lines", () => {
    const v = outboundSchema.parse({ ...base, variables: "name = Ada\norder=A-17 (rush)\n" });
    expect(v.variables).toEqual({ name: "Ada", order: "A-17 (rush)" });
    expect(v).toMatchObject({ machineDetection: "off", voicemailMessage: null });
  });
  it("says which line is not a variable, and asks for the voicemail message when one is to be left", () => {
    expect(outboundSchema.safeParse({ ...base, variables: "name Ada" }).error?.issues[0]?.message).toBe(
      '"name Ada" is not name = value',
    );
    const noMessage = outboundSchema.safeParse({ ...base, machineDetection: "leave_message", voicemailMessage: " " });
    expect(noMessage.error?.issues[0]).toMatchObject({
      path: ["voicemailMessage"],
      message: "Write the message to leave",
    });
    const screened = outboundSchema.safeParse({ ...base, screeningAction: "leave_message" });
    expect(screened.error?.issues[0]).toMatchObject({ path: ["voicemailMessage"] });
    expect(outboundSchema.parse({ ...base, screeningMessage: "  " })).toMatchObject({
      screeningAction: "state_purpose",
      screeningMessage: null,
    });
  });
});

describe("the number forms", () => {
  it("take an omitted or empty agent as nobody (the API omits it; the form sends it empty)", () => {
    expect(buySchema.parse({ e164: "+14155550100" }).agentId).toBeNull();
    expect(buySchema.parse({ e164: "+14155550100", agentId: "" }).agentId).toBeNull();
    expect(updateSchema.parse({ friendlyName: "Desk" }).agentId).toBeNull();
    expect(() => buySchema.parse({ e164: "+14155550100", agentId: "not-a-uuid" })).toThrow();
  });
});
